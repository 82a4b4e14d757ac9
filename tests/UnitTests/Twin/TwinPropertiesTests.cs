using System.Text.Json.Nodes;
using DeviceTwins.Grains.Interfaces.Models;
using DeviceTwins.Grains.Twin;

namespace DeviceTwins.UnitTests.Twin;

public sealed class TwinPropertiesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Updater_PropsAndReportedRecords_FillTheReportedDocumentWithDeviceMetadata()
    {
        var state = new DeviceTwinState();
        TwinUpdater.Apply(state, Record(4, T0) with { Properties = [new PropertySample("firmware", "\"1.4.2\"")] }, T0);
        TwinUpdater.Apply(state, Record(5, T0.AddSeconds(1)) with { Reported = """{"cfg":{"rate":5,"mode":"eco"}}""" }, T0);
        TwinUpdater.Apply(state, Record(6, T0.AddSeconds(2)) with { Reported = """{"cfg":{"mode":null}}""" }, T0);

        var snapshot = TwinUpdater.Snapshot("pump-17", state);

        Assert.Equal("""{"firmware":"1.4.2","cfg":{"rate":5}}""", snapshot.Reported);
        Assert.Equal(["/cfg/rate", "/firmware"], snapshot.ReportedMetadata.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new PropertyMetadata(T0.AddSeconds(1), "device", "iot.telemetry", 3, 5), snapshot.ReportedMetadata["/cfg/rate"]);
        Assert.Equal("{}", snapshot.Delta);
        Assert.Equal("converged", snapshot.Convergence);
        Assert.Null(snapshot.PendingSince);
    }

    [Fact]
    public void DesiredThenReported_DeltaPendingUntilTheDeviceReportsTheValue()
    {
        var state = new DeviceTwinState();
        var documents = state.Documents;
        Assert.Equal(DesiredPatchOutcome.Changed, TwinProperties.PatchDesired(documents, Patch("""{"cfg":{"rate":10,"mode":"eco"},"fw":"2.0"}"""), T0, 1024));
        TwinUpdater.Apply(state, Record(1, T0.AddMinutes(1)) with { Reported = """{"cfg":{"rate":10.0,"mode":"turbo"}}""" }, T0);

        var pending = TwinUpdater.Snapshot("d", state);
        Assert.Equal("""{"cfg":{"mode":"eco"},"fw":"2.0"}""", pending.Delta);
        Assert.Equal("pending", pending.Convergence);
        Assert.Equal(T0, pending.PendingSince);
        Assert.Equal(new PropertyMetadata(T0, "rest"), pending.DesiredMetadata["/cfg/mode"]);

        TwinUpdater.Apply(state, Record(2, T0.AddMinutes(2)) with { Reported = """{"cfg":{"mode":"eco"},"fw":"2.0"}""" }, T0);

        var converged = TwinUpdater.Snapshot("d", state);
        Assert.Equal("{}", converged.Delta);
        Assert.Equal("converged", converged.Convergence);
    }

    [Fact]
    public void PatchDesired_TooLarge_ChangesNothing_AndAnEqualPatchIsUnchanged()
    {
        var documents = new TwinDocuments();
        Assert.Equal(DesiredPatchOutcome.Changed, TwinProperties.PatchDesired(documents, Patch("""{"a":"x"}"""), T0, 16));

        Assert.Equal(DesiredPatchOutcome.TooLarge, TwinProperties.PatchDesired(documents, Patch("""{"b":"0123456789"}"""), T0.AddSeconds(1), 16));
        Assert.Equal(DesiredPatchOutcome.Unchanged, TwinProperties.PatchDesired(documents, Patch("""{"a":"x"}"""), T0.AddSeconds(2), 16));

        Assert.Equal("""{"a":"x"}""", documents.Desired);
        Assert.Equal(["/a"], documents.DesiredMetadata!.Keys);
        Assert.Equal(T0, documents.DesiredMetadata["/a"].LastUpdated);
    }

    private static JsonObject Patch(string json) => (JsonObject)JsonNode.Parse(json)!;

    private static TelemetryEvent Record(long offset, DateTimeOffset ts) => new("d", ts, [], [], "iot.telemetry", 3, offset);
}
