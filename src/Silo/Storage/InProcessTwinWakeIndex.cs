using DeviceTwins.Grains.Wake;

namespace DeviceTwins.Silo.Storage;

/// <summary>
/// The wake index of the single-process default: per shard, the devices ordered by wake instant, kept in step by
/// <see cref="InProcessGrainStorage"/> with every twin write. Nothing survives the process, like the states it indexes,
/// but twins that were deactivated (idle, or shed under memory pressure) are still woken when their work comes due.
/// </summary>
public sealed class InProcessTwinWakeIndex(TwinWakeOptions options) : ITwinWakeIndex
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _instants = new(StringComparer.Ordinal);
    private readonly SortedSet<(long At, string DeviceId)>[] _shards = [.. Enumerable.Range(0, options.Shards).Select(_ => new SortedSet<(long, string)>(Comparer))];

    private static readonly Comparer<(long At, string DeviceId)> Comparer = Comparer<(long At, string DeviceId)>.Create(
        static (x, y) => x.At != y.At ? x.At.CompareTo(y.At) : string.CompareOrdinal(x.DeviceId, y.DeviceId));

    /// <summary>Twins with a wake instant.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _instants.Count;
            }
        }
    }

    /// <summary>Stores (or, for null, removes) the wake instant of <paramref name="deviceId"/>'s twin at once.</summary>
    public void Set(string deviceId, DateTimeOffset? at)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        var shard = _shards[options.ShardOf(deviceId)];
        lock (_gate)
        {
            if (_instants.Remove(deviceId, out var previous))
            {
                shard.Remove((previous, deviceId));
            }

            if (at is { } instant)
            {
                _instants[deviceId] = instant.UtcTicks;
                shard.Add((instant.UtcTicks, deviceId));
            }
        }
    }

    public Task SetAsync(string deviceId, DateTimeOffset? at)
    {
        Set(deviceId, at);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> DueAsync(int shard, DateTimeOffset until, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        lock (_gate)
        {
            IReadOnlyList<string> due = [.. _shards[shard].TakeWhile(e => e.At <= until.UtcTicks).Take(limit).Select(e => e.DeviceId)];
            return Task.FromResult(due);
        }
    }
}
