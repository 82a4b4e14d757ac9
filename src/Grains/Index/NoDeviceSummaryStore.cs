using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Grains.Index;

/// <summary>
/// The summary store of a twin store that does not outlive its process (the in-process default): after a restart
/// there are no twins to reconcile with, and within the process no reporter is lost, so there is nothing to read.
/// </summary>
public sealed class NoDeviceSummaryStore : IDeviceSummaryStore
{
    public bool IsDurable => false;

    public Task<IReadOnlyList<DeviceSummary>> ReadShardAsync(int shard) => Task.FromResult<IReadOnlyList<DeviceSummary>>([]);
}
