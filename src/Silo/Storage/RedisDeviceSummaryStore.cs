using DeviceTwins.Grains.Index;
using DeviceTwins.Grains.Interfaces.Models;
using Orleans.Serialization;
using StackExchange.Redis;

namespace DeviceTwins.Silo.Storage;

/// <summary>
/// The twins' summaries in Redis: one hash per fleet index shard (<c>{ServiceId}/dt.devices/{shard}</c>, the shard a hash
/// tag on a Redis Cluster: <see cref="TwinStoreKeys"/>), field the
/// device id, value its summary (<see cref="DeviceSummaryCodec"/>; Orleans' binary serializer before it, still read). <see cref="RedisTwinStorage"/> writes a twin's entry in
/// the same script as its state; this class reads a shard back, through the twin store's connection and circuit.
/// </summary>
public sealed class RedisDeviceSummaryStore(TwinStoreConnection connection, string serviceId, Serializer serializer, TwinStoreCircuit? circuit = null, bool cluster = false) : IDeviceSummaryStore
{
    private readonly string _prefix = serviceId + "/dt.devices/";

    public bool IsDurable => true;

    public Task<IReadOnlyList<DeviceSummary>> ReadShardAsync(int shard)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shard);
        return connection.RunAsync<IReadOnlyList<DeviceSummary>>($"Reading the summaries of index shard {shard}", circuit, async database =>
        {
            var entries = await database.HashGetAllAsync(ShardKey(shard)).ConfigureAwait(false);
            return [.. entries.Select(e => Decode((ReadOnlyMemory<byte>)e.Value, serializer))];
        });
    }

    /// <summary>The hash of index shard <paramref name="shard"/>.</summary>
    public RedisKey ShardKey(int shard) => _prefix + TwinStoreKeys.Shard(shard, cluster);

    /// <summary>A stored summary: the codec's form, or Orleans' serializer's, which stores written before it.</summary>
    public static DeviceSummary Decode(ReadOnlyMemory<byte> stored, Serializer serializer)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        return DeviceSummaryCodec.IsEncoded(stored.Span)
            ? DeviceSummaryCodec.Decode(stored.Span)
            : serializer.Deserialize<DeviceSummary>(stored)!;
    }
}
