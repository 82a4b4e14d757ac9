using DeviceTwins.Grains.Wake;
using StackExchange.Redis;

namespace DeviceTwins.Silo.Storage;

/// <summary>
/// The wake index in Redis: one sorted set per shard (<c>{ServiceId}/dt.wake/{shard}</c>, the shard a hash tag on a
/// Redis Cluster: <see cref="TwinStoreKeys"/>), member the device id, score its wake instant in Unix milliseconds. <see cref="RedisTwinStorage"/> writes it with the twin's state; this class
/// corrects an entry and reads the due ones, through the twin store's connection and circuit.
/// </summary>
public sealed class RedisTwinWakeIndex(TwinStoreConnection connection, string serviceId, TwinWakeOptions options, TwinStoreCircuit? circuit = null, bool cluster = false) : ITwinWakeIndex
{
    private readonly string _prefix = serviceId + "/dt.wake/";

    public Task SetAsync(string deviceId, DateTimeOffset? at)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        var key = ShardKey(deviceId);
        return connection.RunAsync($"Storing the wake instant of {deviceId}", circuit, database => at is { } instant
            ? database.SortedSetAddAsync(key, deviceId, instant.ToUnixTimeMilliseconds())
            : database.SortedSetRemoveAsync(key, deviceId));
    }

    public Task<IReadOnlyList<string>> DueAsync(int shard, DateTimeOffset until, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shard);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return connection.RunAsync<IReadOnlyList<string>>($"Reading wake shard {shard}", circuit, async database =>
        {
            var due = await database.SortedSetRangeByScoreAsync(_prefix + TwinStoreKeys.Shard(shard, cluster), double.NegativeInfinity, until.ToUnixTimeMilliseconds(), take: limit).ConfigureAwait(false);
            return [.. due.Select(v => (string)v!)];
        });
    }

    /// <summary>The sorted set of <paramref name="deviceId"/>'s shard.</summary>
    public RedisKey ShardKey(string deviceId) => _prefix + TwinStoreKeys.Shard(options.ShardOf(deviceId), cluster);

    /// <summary>The score of a wake instant: Unix milliseconds.</summary>
    public static RedisValue Score(DateTimeOffset at) => at.ToUnixTimeMilliseconds();
}
