using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Grains.Index;

/// <summary>
/// The summaries of the twins as stored: the twin store writes a twin's summary in the same operation as its state,
/// grouped by fleet index shard, so a shard can rebuild what it lost (a crash of its silo or of a reporter's) without
/// waiting for the devices to write again.
/// </summary>
public interface IDeviceSummaryStore
{
    /// <summary>
    /// True when the store outlives the process and holds every twin's latest summary: a shard then rebuilds from it
    /// when it activates and keeps no stored copy of its own (whose write would cost the whole shard every interval).
    /// </summary>
    bool IsDurable { get; }

    /// <summary>Every stored summary of <paramref name="shard"/>'s devices.</summary>
    Task<IReadOnlyList<DeviceSummary>> ReadShardAsync(int shard);
}
