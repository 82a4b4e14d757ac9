using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Grains.Publishing;

/// <summary>Publishes a device's desired-state changes to the desired-state topic, keyed by device id.</summary>
public interface IDesiredStatePublisher
{
    /// <summary>Publishes and completes once every record is acknowledged; throws when any could not be.</summary>
    Task PublishAsync(string deviceId, IReadOnlyList<DesiredChange> changes, CancellationToken cancellationToken = default);
}
