using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Grains.Alerts;

/// <summary>
/// The alert changes a shard of the fleet alert index took since its last full write: appended before the shard
/// acknowledges a batch (so a twin's outbox lets an alert go only once it is durable in the index), read back when the
/// shard activates, cleared after each full write of the shard.
/// </summary>
public interface IAlertIndexJournal
{
    /// <summary>Appends <paramref name="alerts"/> to <paramref name="shard"/>'s journal (a later change of an alert replaces its entry).</summary>
    Task AppendAsync(int shard, IReadOnlyList<AlertInfo> alerts);

    /// <summary>Every change in <paramref name="shard"/>'s journal.</summary>
    Task<IReadOnlyList<AlertInfo>> ReadAsync(int shard);

    /// <summary>Empties <paramref name="shard"/>'s journal (its changes are in the shard's written state).</summary>
    Task ClearAsync(int shard);
}
