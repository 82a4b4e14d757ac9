using DeviceTwins.Analytics.Alerts;
using DeviceTwins.Grains.Index;
using DeviceTwins.Grains.Interfaces.Models;
using DeviceTwins.Grains.Twin;
using DeviceTwins.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace DeviceTwins.UnitTests.Fleet;

/// <summary>The stored form of a twin's summary: exact round trips, the older Orleans form still read, damage refused.</summary>
public sealed class DeviceSummaryCodecTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 9, 30, 15, 250, TimeSpan.FromHours(2));

    private static DeviceTwinState Twin()
    {
        var state = new DeviceTwinState { Version = 41, LastSeen = T0 };
        state.Metrics.Set("temperature", new MetricReading(81.5, T0));
        state.Metrics.Set("pression-été", new MetricReading(-1.25e-7, T0));
        state.Tags = new Dictionary<string, string> { ["site"] = "plant-ä", ["tenant"] = "acme" };
        state.Analytics.Alerts["offline"] = new() { [""] = new AlertState { Current = DeviceSummariesTests.Alert("offline", AlertStatus.Raised) } };
        state.Analytics.Alerts["stuck"] = new() { ["pressure"] = new AlertState { Current = DeviceSummariesTests.Alert("stuck", AlertStatus.Cleared) } };
        return state;
    }

    [Fact]
    public void Encode_ThenDecode_GivesTheSummaryOfTheState()
    {
        var state = Twin();
        var decoded = DeviceSummaryCodec.Decode(DeviceSummaryCodec.Encode("pump-1", state));
        var expected = DeviceSummaries.Of("pump-1", state);

        Assert.Equal(expected.DeviceId, decoded.DeviceId);
        Assert.Equal(41, decoded.Version);
        Assert.Equal(T0, decoded.LastSeen);
        Assert.Equal(T0.Offset, decoded.LastSeen.Offset);
        Assert.Equal(expected.Tags, decoded.Tags);
        Assert.Equal(expected.Metrics, decoded.Metrics);
        Assert.Equal(1, decoded.ActiveAlerts);
        Assert.True(decoded.OfflineAlert);
    }

    [Fact]
    public void Encode_ANewTwin_IsItsIdAndFixedFieldsOnly()
    {
        var bytes = DeviceSummaryCodec.Encode("d", new DeviceTwinState());

        // marker, version, "d", version, ticks, offset, no tags, no metrics, no alerts, not offline
        Assert.Equal(2 + 2 + 8 + 8 + 2 + 1 + 1 + 1 + 1, bytes.Length);
        var decoded = DeviceSummaryCodec.Decode(bytes);
        Assert.Equal("d", decoded.DeviceId);
        Assert.Empty(decoded.Tags);
        Assert.Empty(decoded.Metrics);
        Assert.False(decoded.OfflineAlert);
    }

    [Fact]
    public void Decode_ReadsTheOrleansFormOfStoresWrittenBefore()
    {
        using var services = new ServiceCollection().AddSerializer().BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();
        var summary = DeviceSummaries.Of("pump-1", Twin());
        var older = serializer.SerializeToArray(summary);

        Assert.False(DeviceSummaryCodec.IsEncoded(older));
        var decoded = RedisDeviceSummaryStore.Decode(older, serializer);
        Assert.Equal(summary.Tags, decoded.Tags);
        Assert.Equal(summary.Metrics, decoded.Metrics);
        Assert.Equal(summary.LastSeen, decoded.LastSeen);

        var current = RedisDeviceSummaryStore.Decode(DeviceSummaryCodec.Encode("pump-1", Twin()), serializer);
        Assert.Equal(summary.Metrics, current.Metrics);
    }

    [Fact]
    public void Decode_RefusesTruncatedTrailingAndUnknownVersions()
    {
        var bytes = DeviceSummaryCodec.Encode("pump-1", Twin());

        Assert.Throws<FormatException>(() => DeviceSummaryCodec.Decode(bytes.AsSpan(0, bytes.Length - 1)));
        Assert.Throws<FormatException>(() => DeviceSummaryCodec.Decode([.. bytes, 0]));
        var future = bytes.ToArray();
        future[1] = DeviceSummaryCodec.Version + 1;
        Assert.Throws<FormatException>(() => DeviceSummaryCodec.Decode(future));
        Assert.Throws<FormatException>(() => DeviceSummaryCodec.Decode([0x20, 1]));
    }
}
