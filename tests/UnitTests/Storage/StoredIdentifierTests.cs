using DeviceTwins.Analytics.Alerts;
using DeviceTwins.Grains.Interfaces;

namespace DeviceTwins.UnitTests.Storage;

/// <summary>
/// Identifiers that are stored and compared across restarts and versions: alert ids (in Kafka records, the alert index
/// and twin states) and the shard of a device in the alert index, the fleet device index and the wake index (in Redis
/// keys and shard states). A change to any of these functions would orphan stored data, so their values are pinned.
/// </summary>
public sealed class StoredIdentifierTests
{
    [Theory]
    // FNV-1a (32 bit) over the UTF-16 code units, modulo the shard count; expected values computed outside .NET.
    [InlineData("pump-17", 10, 10, 650)]
    [InlineData("sensor-00001", 9, 9, 3593)]
    [InlineData("dev-1", 6, 54, 3702)]
    [InlineData("température-Ω", 7, 7, 1031)]
    public void ShardsOfADevice_Pinned(string deviceId, int of16, int of64, int of4096)
    {
        Assert.Equal(of16, AlertIndexShards.Of(deviceId));
        Assert.Equal(of16, DeviceIndexShards.Of(deviceId, 16));
        Assert.Equal(of64, DeviceIndexShards.Of(deviceId, 64));
        Assert.Equal(of4096, DeviceIndexShards.Of(deviceId, 4096));
    }

    [Fact]
    public void AlertIds_Pinned()
    {
        // XxHash128 of "device\nrule\nmetric\nordinal\nraised-at-unix-ms" in lower-case hex; recorded from the ids this
        // version publishes (no xxHash implementation outside .NET is at hand here to recompute them).
        var raisedAt = new DateTimeOffset(2026, 1, 1, 0, 0, 30, TimeSpan.Zero);
        Assert.Equal("ad99ee4386412a56d2a42ac227f20bac", AlertIds.Of(new AlertSubject("dev-1", "overheat", "threshold", "temperature", AlertSeverity.Critical), 1, raisedAt));
        Assert.Equal("b6517f142bbb95fd2f62a67e13fc7561", AlertIds.Of(new AlertSubject("pump-17", "offline", "heartbeat", null, AlertSeverity.Critical), 3, raisedAt.AddDays(300)));
    }
}
