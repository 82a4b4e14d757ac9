using System.Collections.Concurrent;
using DeviceTwins.Grains.Alerts;
using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.ClusterTests;

/// <summary>An alert index journal in memory that tests can fill and inspect.</summary>
public sealed class ScriptedAlertJournal : IAlertIndexJournal
{
    private readonly ConcurrentDictionary<int, ConcurrentDictionary<string, AlertInfo>> _shards = new();

    public IReadOnlyCollection<AlertInfo> Of(int shard) => _shards.TryGetValue(shard, out var entries) ? [.. entries.Values] : [];

    public Task AppendAsync(int shard, IReadOnlyList<AlertInfo> alerts)
    {
        var entries = _shards.GetOrAdd(shard, _ => new(StringComparer.Ordinal));
        foreach (var alert in alerts)
        {
            entries[alert.Id] = alert;
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AlertInfo>> ReadAsync(int shard) => Task.FromResult<IReadOnlyList<AlertInfo>>([.. Of(shard)]);

    public Task ClearAsync(int shard)
    {
        _shards.TryRemove(shard, out _);
        return Task.CompletedTask;
    }
}
