using System.Collections.Concurrent;
using DeviceTwins.Grains.Index;
using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.ClusterTests;

/// <summary>Stored twin summaries a test sets by hand, standing for what the twin store wrote with each twin.</summary>
public sealed class ScriptedSummaryStore : IDeviceSummaryStore
{
    private readonly ConcurrentDictionary<int, IReadOnlyList<DeviceSummary>> _shards = new();

    /// <summary>Whether shards treat this store as holding every twin's summary (and keep no copy of their own).</summary>
    public bool IsDurable { get; init; }

    /// <summary>Reads of a shard so far.</summary>
    public int Reads;

    public void Set(int shard, params DeviceSummary[] summaries) => _shards[shard] = summaries;

    public Task<IReadOnlyList<DeviceSummary>> ReadShardAsync(int shard)
    {
        Interlocked.Increment(ref Reads);
        return Task.FromResult(_shards.TryGetValue(shard, out var stored) ? stored : []);
    }
}
