using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Grains.Publishing;

/// <summary>Publishes a device's alert changes and closed windows to the alerts and aggregates topics, keyed by device id.</summary>
public interface IAnalyticsPublisher
{
    /// <summary>
    /// Publishes and completes once every record is acknowledged; throws when any could not be. A non-null
    /// <paramref name="traceParent"/> (W3C) goes with each record as its "traceparent" header.
    /// </summary>
    Task PublishAsync(string deviceId, IReadOnlyList<AlertInfo> alerts, IReadOnlyList<WindowRecord> windows, string? traceParent = null, CancellationToken cancellationToken = default);
}
