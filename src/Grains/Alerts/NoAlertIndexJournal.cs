using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Grains.Alerts;

/// <summary>The journal of a twin store that does not outlive its process: the shard's state in memory is never lost alone.</summary>
public sealed class NoAlertIndexJournal : IAlertIndexJournal
{
    public Task AppendAsync(int shard, IReadOnlyList<AlertInfo> alerts) => Task.CompletedTask;

    public Task<IReadOnlyList<AlertInfo>> ReadAsync(int shard) => Task.FromResult<IReadOnlyList<AlertInfo>>([]);

    public Task ClearAsync(int shard) => Task.CompletedTask;
}
