using System.Globalization;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using DeviceTwins.Grains.Interfaces;
using DeviceTwins.Grains.Interfaces.Models;

using DeviceTwins.Testing;

namespace DeviceTwins.ClusterTests;

/// <summary>Desired and reported state through the cluster: desired changes on the desired-state topic, reports clearing the delta.</summary>
[Collection(KafkaClusterCollection.Name)]
public sealed class DesiredStatePipelineTests(KafkaClusterFixture fixture)
{
    private const int MaxBytes = 32 * 1024;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task DesiredChanges_LandOnTheDesiredTopic_WithDocumentDeltaAndVersion_AStaleIfMatchChangesNothing()
    {
        var device = "desired-" + Guid.NewGuid().ToString("N")[..8];
        var grain = fixture.Grains.GetGrain<IDeviceTwinGrain>(device);

        // Never seen: the desired state creates the twin, so a device can be configured before it first reports.
        var first = await grain.PatchDesiredAsync("""{"cfg":{"rate":5,"mode":"eco"},"fw":"2.0"}""", null, MaxBytes, Caller.Platform);
        Assert.Equal(TwinWriteStatus.Written, first.Status);
        Assert.Equal(1, first.Version);
        var second = await grain.PatchDesiredAsync("""{"cfg":{"mode":null,"rate":10}}""", Match(1), MaxBytes, Caller.Platform);
        Assert.Equal(2, second.Version);
        var stale = await grain.PatchDesiredAsync("""{"fw":"3.0"}""", Match(1), MaxBytes, Caller.Platform);
        Assert.Equal(new TwinWriteResult(TwinWriteStatus.PreconditionFailed, null, 2), stale);

        var records = await fixture.ReadKeyedAsync(fixture.Kafka.DesiredTopic, fixture.Kafka.TelemetryPartitions, device, r => r.Count >= 2);

        Assert.Equal(2, records.Count);
        Assert.Equal([device + ":1", device + ":2"], records.Select(r => Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes("dt.id"))));
        Assert.Equal(
            Expected(device, 1, """{"cfg":{"rate":5,"mode":"eco"},"fw":"2.0"}""", """{"cfg":{"rate":5,"mode":"eco"},"fw":"2.0"}""", first.Twin!.UpdatedAt),
            Encoding.UTF8.GetString(records[0].Message.Value!));
        Assert.Equal(
            Expected(device, 2, """{"cfg":{"rate":10},"fw":"2.0"}""", """{"cfg":{"rate":10},"fw":"2.0"}""", second.Twin!.UpdatedAt),
            Encoding.UTF8.GetString(records[1].Message.Value!));

        var twin = await grain.GetSnapshotAsync();
        Assert.Equal(2, twin!.Version);
        Assert.Equal(0, twin.MessageCount);
        Assert.Equal("pending", twin.Convergence);
        Assert.Equal(first.Twin.UpdatedAt, twin.PendingSince);
    }

    [Fact]
    public async Task ReportedRecord_WithTheDesiredValues_ClearsTheDelta_AndRecordsItsOrigin()
    {
        var device = "reported-" + Guid.NewGuid().ToString("N")[..8];
        var grain = fixture.Grains.GetGrain<IDeviceTwinGrain>(device);
        var ts = new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
        await fixture.ProduceAsync("iot.telemetry", device, Reported(device, ts, """{"cfg":{"rate":5},"fw":"1.0"}"""));
        await Eventually.Until(grain.GetSnapshotAsync, t => t?.MessageCount == 1, Timeout, "the first report applied");

        var patched = await grain.PatchDesiredAsync("""{"cfg":{"rate":10},"fw":"1.0"}""", Match(1), MaxBytes, Caller.Platform);
        Assert.Equal("""{"cfg":{"rate":10}}""", patched.Twin!.Delta);
        Assert.Equal("pending", patched.Twin.Convergence);

        var result = await fixture.Producer.ProduceAsync("iot.telemetry", new Message<byte[]?, byte[]?>
        {
            Key = Encoding.UTF8.GetBytes(device),
            Value = Encoding.UTF8.GetBytes(Reported(device, ts.AddSeconds(5), """{"cfg":{"rate":10.0}}""")),
        });
        var twin = await Eventually.Until(grain.GetSnapshotAsync, t => t?.MessageCount == 2, Timeout, "the second report applied");

        Assert.Equal("{}", twin!.Delta);
        Assert.Equal("converged", twin.Convergence);
        Assert.Null(twin.PendingSince);
        Assert.Equal("""{"cfg":{"rate":10.0},"fw":"1.0"}""", twin.Reported);
        Assert.Equal(3, twin.Version);
        Assert.Equal(
            new PropertyMetadata(ts.AddSeconds(5), PropertyMetadata.DeviceSource, "iot.telemetry", result.Partition.Value, result.Offset.Value),
            twin.ReportedMetadata["/cfg/rate"]);
        Assert.Equal(ts, twin.ReportedMetadata["/fw"].LastUpdated);
    }

    private static VersionPrecondition Match(long version) => new(false, [version]);

    private static string Expected(string device, long version, string desired, string delta, DateTimeOffset time) =>
        $$"""{"deviceId":"{{device}}","version":{{version}},"desired":{{desired}},"delta":{{delta}},"time":{{JsonSerializer.Serialize(time)}}}""";

    private static string Reported(string device, DateTimeOffset ts, string reported) =>
        string.Create(CultureInfo.InvariantCulture, $$$"""{"deviceId":"{{{device}}}","ts":"{{{ts:yyyy-MM-ddTHH:mm:ss.fffZ}}}","reported":{{{reported}}}}""");
}
