using System.Text.Json.Nodes;
using DeviceTwins.Grains.Interfaces.Models;
using DeviceTwins.Grains.Twin;

namespace DeviceTwins.UnitTests.Twin;

public sealed class TrackedMergePatchTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Apply_StampsEachLeafWritten_ByJsonPointer_WithEscapes()
    {
        var document = JsonValues.ParseDocument("""{"keep":1}""");
        var metadata = new Dictionary<string, PropertyMetadata>();
        var stamp = Device(T0, 7);

        Assert.True(TrackedMergePatch.Apply(document, Patch("""{"cfg":{"a/b":1,"m~n":[1,2]},"fw":"1.0"}"""), metadata, stamp, latestByTime: true));

        Assert.Equal("""{"keep":1,"cfg":{"a/b":1,"m~n":[1,2]},"fw":"1.0"}""", JsonValues.Write(document));
        Assert.Equal(["/cfg/a~1b", "/cfg/m~0n", "/fw"], metadata.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(stamp, metadata["/fw"]);
    }

    [Fact]
    public void Apply_NullDeletesThePropertyAndTheMetadataInsideIt()
    {
        var document = JsonValues.ParseDocument("{}");
        var metadata = new Dictionary<string, PropertyMetadata>();
        TrackedMergePatch.Apply(document, Patch("""{"cfg":{"a":1,"b":2},"fw":"1.0"}"""), metadata, Device(T0, 1), latestByTime: true);

        Assert.True(TrackedMergePatch.Apply(document, Patch("""{"cfg":null}"""), metadata, Device(T0.AddSeconds(1), 2), latestByTime: true));

        Assert.Equal("""{"fw":"1.0"}""", JsonValues.Write(document));
        Assert.Equal(["/fw"], metadata.Keys);
    }

    [Fact]
    public void Apply_DeviceUpdateOlderThanWhatWasWritten_IsSkippedPerProperty()
    {
        var document = JsonValues.ParseDocument("{}");
        var metadata = new Dictionary<string, PropertyMetadata>();
        TrackedMergePatch.Apply(document, Patch("""{"cfg":{"rate":10}}"""), metadata, Device(T0.AddMinutes(1), 5), latestByTime: true);

        // Older by event time: cfg/rate keeps the newer value, cfg/mode (never written) is set.
        TrackedMergePatch.Apply(document, Patch("""{"cfg":{"rate":1,"mode":"eco"}}"""), metadata, Device(T0, 6), latestByTime: true);
        // Older, replacing the object that holds a newer property: skipped whole.
        TrackedMergePatch.Apply(document, Patch("""{"cfg":5}"""), metadata, Device(T0, 7), latestByTime: true);

        Assert.Equal("""{"cfg":{"rate":10,"mode":"eco"}}""", JsonValues.Write(document));
        Assert.Equal(5, metadata["/cfg/rate"].Offset);
        Assert.Equal(6, metadata["/cfg/mode"].Offset);
    }

    [Fact]
    public void Apply_SameEventTime_LaterRecordWins_AndAnEqualValueIsStampedAgain()
    {
        var document = JsonValues.ParseDocument("{}");
        var metadata = new Dictionary<string, PropertyMetadata>();
        TrackedMergePatch.Apply(document, Patch("""{"rate":10}"""), metadata, Device(T0, 1), latestByTime: true);

        Assert.True(TrackedMergePatch.Apply(document, Patch("""{"rate":10.0}"""), metadata, Device(T0, 2), latestByTime: true));

        Assert.Equal(2, metadata["/rate"].Offset);
    }

    [Fact]
    public void Apply_Rest_EqualValueChangesNothing_AndAnObjectReplacingAScalarDropsItsMetadata()
    {
        var document = JsonValues.ParseDocument("{}");
        var metadata = new Dictionary<string, PropertyMetadata>();
        TrackedMergePatch.Apply(document, Patch("""{"cfg":1}"""), metadata, Rest(T0), latestByTime: false);

        Assert.False(TrackedMergePatch.Apply(document, Patch("""{"cfg":1.0}"""), metadata, Rest(T0.AddSeconds(1)), latestByTime: false));
        Assert.Equal(T0, metadata["/cfg"].LastUpdated);

        Assert.True(TrackedMergePatch.Apply(document, Patch("""{"cfg":{"rate":2}}"""), metadata, Rest(T0.AddSeconds(2)), latestByTime: false));
        Assert.Equal("""{"cfg":{"rate":2}}""", JsonValues.Write(document));
        Assert.Equal(["/cfg/rate"], metadata.Keys);
    }

    [Fact]
    public void Replace_WritesAnObjectWhole()
    {
        var document = JsonValues.ParseDocument("""{"net":{"ssid":"a","dhcp":true}}""");
        var metadata = new Dictionary<string, PropertyMetadata>();

        Assert.True(TrackedMergePatch.Replace(document, "net", JsonNode.Parse("""{"ssid":"b"}"""), metadata, Device(T0, 3), latestByTime: true));

        Assert.Equal("""{"net":{"ssid":"b"}}""", JsonValues.Write(document));
        Assert.Equal(["/net"], metadata.Keys);
    }

    private static JsonObject Patch(string json) => (JsonObject)JsonNode.Parse(json)!;

    private static PropertyMetadata Device(DateTimeOffset at, long offset) => new(at, PropertyMetadata.DeviceSource, "iot.telemetry", 2, offset);

    private static PropertyMetadata Rest(DateTimeOffset at) => new(at, PropertyMetadata.RestSource);
}
