using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Grains.Publishing;

/// <summary>Publishes audit records of API writes to the audit topic, keyed by device id.</summary>
public interface IAuditPublisher
{
    /// <summary>Publishes and completes once every record is acknowledged; throws when any could not be.</summary>
    Task PublishAsync(string deviceId, IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken = default);
}
