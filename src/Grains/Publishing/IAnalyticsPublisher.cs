using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Grains.Publishing;

/// <summary>Publishes a device's alert changes and closed windows to the alerts and aggregates topics, keyed by device id.</summary>
public interface IAnalyticsPublisher
{
    /// <summary>
    /// Publishes and completes once every record is acknowledged; throws when any could not be. <paramref name="first"/>
    /// sends the records in the first lane, ahead of bulk outputs (the twin decides, see <see cref="OutputLanes"/>). A
    /// non-null <paramref name="traceParent"/> (W3C) goes with each record as its "traceparent" header.
    /// </summary>
    Task PublishAsync(string deviceId, IReadOnlyList<AlertInfo> alerts, IReadOnlyList<WindowRecord> windows, bool first, string? traceParent = null, CancellationToken cancellationToken = default);
}
