using DeviceTwins.Grains.Interfaces.Commands;

namespace DeviceTwins.Grains.Publishing;

/// <summary>
/// Publishes a device's command events, in order: each on the command events topic, and a <c>sent</c> one also on the
/// commands topic, where the MQTT bridge and Kafka devices take their deliveries.
/// </summary>
public interface ICommandPublisher
{
    /// <summary>Publishes <paramref name="events"/> of <paramref name="deviceId"/>; completes once Kafka acknowledged them all.</summary>
    Task PublishAsync(string deviceId, IReadOnlyList<CommandInfo> events, CancellationToken cancellationToken = default);
}
