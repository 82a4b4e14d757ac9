using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.UnitTests.Fleet;

/// <summary>Device summaries for the fleet query tests.</summary>
internal static class FleetSamples
{
    public static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    public static readonly TimeSpan OfflineAfter = TimeSpan.FromMinutes(10);

    public static DeviceSummary Device(
        string id,
        long version = 1,
        DateTimeOffset? lastSeen = null,
        (string Key, string Value)[]? tags = null,
        (string Name, double Value)[]? metrics = null,
        int activeAlerts = 0,
        bool offlineAlert = false) =>
        new(
            id,
            version,
            lastSeen ?? Now.AddMinutes(-1),
            (tags ?? []).ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal),
            (metrics ?? []).ToDictionary(m => m.Name, m => m.Value, StringComparer.Ordinal),
            activeAlerts,
            offlineAlert);

    public static FleetDevice Found(string id, long version = 1) => new(Device(id, version), DeviceStatus.Online);
}
