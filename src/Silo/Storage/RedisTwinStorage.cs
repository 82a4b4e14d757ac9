using System.Text;
using DeviceTwins.Grains.Index;
using DeviceTwins.Grains.Interfaces;
using DeviceTwins.Grains.Twin;
using Orleans.Serialization.Serializers;
using Orleans.Storage;
using StackExchange.Redis;

namespace DeviceTwins.Silo.Storage;

/// <summary>
/// The twin store in Redis: each grain's state in a hash (<c>etag</c>, <c>data</c>) under
/// <c>{ServiceId}/state/{grain type}/{key}/{state name}</c>, the layout of Orleans' Redis grain storage, so states it
/// stored read unchanged. A write is one script that checks the ETag and stores the state and, for a twin, its wake
/// instant in the shard's sorted set of the wake index (<c>{ServiceId}/dt.wake/{shard}</c>) and its fleet index
/// summary in its index shard's hash (<c>{ServiceId}/dt.devices/{shard}</c>): both are durable exactly when the state
/// that made them is. Redis failures are thrown as they are (the throttle in front of this store
/// maps an unreachable Redis to <see cref="Grains.Interfaces.TwinStoreUnavailableException"/>). On a Redis Cluster a
/// twin's state key carries its index shard as a hash tag (<c>{ServiceId}/{17}/state/...</c>), like its wake and
/// summary shards, so the script's keys share a slot; the write then waits for the node's replicas
/// (<see cref="ReplicaAcknowledgement"/>) before it counts, so a failover does not lose it.
/// </summary>
public sealed class RedisTwinStorage(
    TwinStoreConnection connection,
    ConfigurationOptions configuration,
    string serviceId,
    IGrainStorageSerializer serializer,
    IActivatorProvider activators,
    RedisTwinWakeIndex wakeIndex,
    RedisDeviceSummaryStore summaries,
    int indexShards,
    bool cluster = false,
    ReplicaAcknowledgement? replicaAcks = null) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>, IAsyncDisposable
{
    private const string WriteScript =
        """
        local etag = redis.call('HGET', KEYS[1], 'etag')
        if ((not etag or etag == '') and ARGV[1] == '') or etag == ARGV[1] then
          redis.call('HSET', KEYS[1], 'etag', ARGV[2], 'data', ARGV[3])
          if KEYS[2] then
            if ARGV[5] == '' then
              redis.call('ZREM', KEYS[2], ARGV[4])
            else
              redis.call('ZADD', KEYS[2], ARGV[5], ARGV[4])
            end
            redis.call('HSET', KEYS[3], ARGV[4], ARGV[6])
          end
          return 0
        end
        return -1
        """;

    private const string ClearScript =
        """
        local etag = redis.call('HGET', KEYS[1], 'etag')
        if ((not etag or etag == '') and ARGV[1] == '') or etag == ARGV[1] then
          redis.call('DEL', KEYS[1])
          return 0
        end
        return -1
        """;

    private static ReadOnlySpan<byte> StateSegment => "state/"u8;

    private readonly byte[] _service = Encoding.UTF8.GetBytes(serviceId + "/");

    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        // Connects before grains and stream consumers start; with AbortOnConnectFail off, a Redis that is down retries.
        lifecycle.Subscribe(nameof(RedisTwinStorage), ServiceLifecycleStage.ApplicationServices, async _ =>
        {
            var multiplexer = await connection.ConnectAsync(configuration).ConfigureAwait(false);
            CheckServerKind(multiplexer);
        });
    }

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var entries = await Database.HashGetAllAsync(StateKey(stateName, grainId, typeof(T) == typeof(DeviceTwinState))).ConfigureAwait(false);
        RedisValue etag = default, data = default;
        foreach (var entry in entries)
        {
            if (entry.Name == "etag")
            {
                etag = entry.Value;
            }
            else if (entry.Name == "data")
            {
                data = entry.Value;
            }
        }

        if (!etag.IsNull && !data.IsNull && ((ReadOnlyMemory<byte>)data).Length > 0)
        {
            grainState.State = serializer.Deserialize<T>((ReadOnlyMemory<byte>)data);
            grainState.ETag = etag;
            grainState.RecordExists = true;
        }
        else
        {
            grainState.State = activators.GetActivator<T>().Create();
            grainState.ETag = etag.IsNull ? null : (string?)etag;
            grainState.RecordExists = false;
        }
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var newEtag = Guid.NewGuid().ToString("N");
        // The payload is rented when the serializer can: a command that was answered no longer reads it.
        var rented = serializer is PooledGrainStorageSerializer pooled ? pooled.SerializeRented(grainState.State) : default;
        RedisValue payload = rented.Array is not null ? rented.AsMemory() : serializer.Serialize(grainState.State).ToMemory();
        RedisKey[] keys;
        RedisValue[] args;
        if (grainState.State is DeviceTwinState twin)
        {
            var deviceId = grainId.Key.ToString()!;
            keys = [StateKey(stateName, grainId, true), wakeIndex.ShardKey(deviceId), summaries.ShardKey(DeviceIndexShards.Of(deviceId, indexShards))];
            args =
            [
                grainState.ETag ?? string.Empty, newEtag, payload, deviceId,
                twin.WakeAt is { } at ? RedisTwinWakeIndex.Score(at) : RedisValue.EmptyString,
                DeviceSummaryCodec.Encode(deviceId, twin),
            ];
        }
        else
        {
            keys = [Key(stateName, grainId)];
            args = [grainState.ETag ?? string.Empty, newEtag, payload];
        }

        var result = await Database.ScriptEvaluateAsync(WriteScript, keys, args).ConfigureAwait(false);
        // Answered, so sent: the payload goes back. A failed command may still sit in the client's queue; its array is
        // left to the collector.
        PooledGrainStorageSerializer.Return(rented);
        if ((int)result == -1)
        {
            throw new InconsistentStateException($"ETag mismatch writing {stateName} of {grainId}", "(stored)", grainState.ETag);
        }

        if (replicaAcks is not null)
        {
            await replicaAcks.WaitAsync(keys[0]).ConfigureAwait(false);
        }

        grainState.ETag = newEtag;
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var result = await Database.ScriptEvaluateAsync(ClearScript, [StateKey(stateName, grainId, typeof(T) == typeof(DeviceTwinState))], [grainState.ETag ?? string.Empty]).ConfigureAwait(false);
        if ((int)result == -1)
        {
            throw new InconsistentStateException($"ETag mismatch clearing {stateName} of {grainId}", "(stored)", grainState.ETag);
        }

        grainState.ETag = null;
        grainState.State = activators.GetActivator<T>().Create();
        grainState.RecordExists = false;
    }

    public async ValueTask DisposeAsync()
    {
        if (connection.Multiplexer is { } multiplexer)
        {
            await multiplexer.DisposeAsync().ConfigureAwait(false);
        }
    }

    private IDatabase Database => (connection.Multiplexer ?? throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "The twin store has not connected yet.")).GetDatabase();

    // A twin's state on a Redis Cluster: {ServiceId}/{shard}/state/..., in the hash slot of its wake and summary shards.
    private RedisKey StateKey(string stateName, GrainId grainId, bool isTwin) =>
        Key(stateName, grainId, cluster && isTwin ? TwinStoreKeys.Shard(DeviceIndexShards.Of(grainId.Key.ToString()!, indexShards), cluster) + "/" : null);

    // Fails the start when Redis:Cluster does not say what the server is: the key layout depends on it.
    private void CheckServerKind(IConnectionMultiplexer multiplexer)
    {
        var servers = multiplexer.GetServers().Where(s => s.IsConnected).ToList();
        if (servers.Count == 0)
        {
            // Not reachable yet (AbortOnConnectFail is off): the first commands find out.
            return;
        }

        var isCluster = servers.Any(s => s.ServerType == ServerType.Cluster);
        if (isCluster != cluster)
        {
            throw new InvalidOperationException(isCluster
                ? "Redis is a Redis Cluster: set Redis:Cluster=true (its key layout puts each twin's keys in one hash slot)."
                : "Redis:Cluster is true but Redis is not a Redis Cluster: set Redis:Cluster=false or point Redis:ConnectionString at a cluster.");
        }

        if (cluster && !TwinStoreKeys.IsClusterSafe(serviceId))
        {
            throw new InvalidOperationException("With Redis:Cluster the Orleans service id must not contain '{' or '}' (it prefixes every key).");
        }
    }

    // {ServiceId}/state/{grain type}/{key}/{state name}, as Orleans' Redis grain storage names it ({ServiceId}/{shard}/state/...
    // with a shard segment).
    private RedisKey Key(string stateName, GrainId grainId, string? shardSegment = null)
    {
        var type = grainId.Type.Value.AsSpan();
        var key = grainId.Key.AsSpan();
        var name = Encoding.UTF8.GetByteCount(stateName);
        var segment = shardSegment is null ? 0 : Encoding.UTF8.GetByteCount(shardSegment);
        var bytes = new byte[_service.Length + segment + StateSegment.Length + type.Length + 1 + key.Length + 1 + name];
        _service.CopyTo(bytes, 0);
        var index = _service.Length;
        if (shardSegment is not null)
        {
            index += Encoding.UTF8.GetBytes(shardSegment, bytes.AsSpan(index));
        }

        StateSegment.CopyTo(bytes.AsSpan(index));
        index += StateSegment.Length;
        type.CopyTo(bytes.AsSpan(index));
        index += type.Length;
        bytes[index++] = (byte)'/';
        key.CopyTo(bytes.AsSpan(index));
        index += key.Length;
        bytes[index++] = (byte)'/';
        Encoding.UTF8.GetBytes(stateName, bytes.AsSpan(index));
        return bytes;
    }
}
