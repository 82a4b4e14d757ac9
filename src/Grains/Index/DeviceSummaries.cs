using DeviceTwins.Analytics.Alerts;
using DeviceTwins.Grains.Interfaces.Models;
using DeviceTwins.Grains.Twin;

namespace DeviceTwins.Grains.Index;

/// <summary>Builds the fleet index's summary of a twin from its state (plain C#).</summary>
public static class DeviceSummaries
{
    /// <summary>The name of the default heartbeat rule, whose active alert makes a device offline.</summary>
    public const string OfflineRule = "offline";

    /// <summary>
    /// A summary of <paramref name="state"/> that later changes of the twin never show through: its metrics are a copy, its
    /// tags the twin's own instance (tags are replaced whole, never changed in place).
    /// </summary>
    public static DeviceSummary Of(string deviceId, DeviceTwinState state)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        ArgumentNullException.ThrowIfNull(state);
        var metrics = new KeyValuePair<string, double>[state.Metrics.Count];
        var at = 0;
        foreach (var (name, reading) in state.Metrics)
        {
            metrics[at++] = new KeyValuePair<string, double>(name, reading.Value);
        }

        var (active, offline) = Alerts(state);
        return new DeviceSummary(deviceId, state.Version, state.LastSeen, state.Tags, new NamedValues<double>(metrics), active, offline);
    }

    /// <summary>The twin's active alerts, and whether one of them is the heartbeat rule's (the device is offline).</summary>
    public static (int Active, bool Offline) Alerts(DeviceTwinState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var active = 0;
        var offline = false;
        foreach (var byMetric in state.Analytics.Alerts.Values)
        {
            foreach (var alert in byMetric.Values)
            {
                if (alert.Current is { Status: not AlertStatus.Cleared } current)
                {
                    active++;
                    offline |= string.Equals(current.Rule, OfflineRule, StringComparison.Ordinal);
                }
            }
        }

        return (active, offline);
    }
}
