using DeviceTwins.Analytics.Alerts;

namespace DeviceTwins.Grains.Publishing;

/// <summary>
/// Which outputs go in the first lane, ahead of bulk work, in the twin store's queue and to Kafka: a change of an alert
/// about a metric's readings. The device-level heartbeat's alerts (a fleet-wide outage raises and clears one per device)
/// and closed windows are bulk.
/// </summary>
public static class OutputLanes
{
    /// <summary>The label of the first lane in metrics.</summary>
    public const string First = "first";

    /// <summary>The label of the bulk lane in metrics.</summary>
    public const string Bulk = "bulk";

    /// <summary>Whether any of <paramref name="alerts"/> from index <paramref name="from"/> on is about a metric's readings.</summary>
    public static bool HasReadingAlert(IReadOnlyList<Alert> alerts, int from = 0)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        for (var i = from; i < alerts.Count; i++)
        {
            if (alerts[i].Metric is not null)
            {
                return true;
            }
        }

        return false;
    }
}
