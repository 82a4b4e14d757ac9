using DeviceTwins.Grains.Twin;
using DeviceTwins.Grains.Wake;
using DeviceTwins.Silo.Extensions;
using DeviceTwins.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;
using StackExchange.Redis;

namespace DeviceTwins.ClusterTests;

/// <summary>
/// The twin store against the test script's Redis Cluster (three masters, a replica each): a twin's state, wake entry
/// and index summary in one hash slot, written by one script, confirmed by a replica.
/// </summary>
public sealed class RedisClusterStorageTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private readonly string _service = "cluster-tests-" + Guid.NewGuid().ToString("N")[..8];
    private readonly TwinWakeOptions _wake = new() { Shards = 64 };
    private readonly TwinStoreConnection _connection = new();
    private ServiceProvider _services = null!;
    private RedisTwinStorage _storage = null!;
    private RedisDeviceSummaryStore _summaries = null!;
    private ReplicaAcknowledgement _replicas = null!;
    private IConnectionMultiplexer _redis = null!;

    public async Task InitializeAsync()
    {
        var address = Environment.GetEnvironmentVariable("DEVICETWINS_TEST_REDIS_CLUSTER") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException("DEVICETWINS_TEST_REDIS_CLUSTER is not set: run the tests through ./test.sh, which starts a Redis Cluster.");
        _services = new ServiceCollection().AddSerializer().AddAnalyticsSerialization().BuildServiceProvider();
        var configuration = ConfigurationOptions.Parse(address);
        var serializer = _services.GetRequiredService<Serializer>();
        _summaries = new RedisDeviceSummaryStore(_connection, _service, serializer, cluster: true);
        _replicas = new ReplicaAcknowledgement(_connection, 1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeProvider.System, NullLogger<ReplicaAcknowledgement>.Instance);
        _storage = new RedisTwinStorage(_connection, configuration, _service, new OrleansGrainStorageSerializer(serializer), _services.GetRequiredService<IActivatorProvider>(), new RedisTwinWakeIndex(_connection, _service, _wake, cluster: true), _summaries, 64, cluster: true, _replicas);
        _redis = await _connection.ConnectAsync(configuration);
    }

    public async Task DisposeAsync()
    {
        await _storage.DisposeAsync();
        await _services.DisposeAsync();
    }

    [Fact]
    public async Task Write_StateWakeAndSummaryShareTheShardsHashSlot_ConfirmedByAReplica_ReadBack()
    {
        var database = _redis.GetDatabase();
        var devices = Enumerable.Range(0, 40).Select(i => $"pump-{i:D2}").ToList();
        foreach (var device in devices)
        {
            var state = new GrainState<DeviceTwinState>(new DeviceTwinState { Version = 3, MessageCount = 2, WakeAt = T0.AddSeconds(70) });
            await _storage.WriteStateAsync("twin", GrainId.Create("devicetwin", device), state);
        }

        // pump-17 is in index shard 10 of 64: its three keys carry the hash tag {10}.
        var keys = new RedisKey[] { $"{_service}/{{10}}/state/devicetwin/pump-17/twin", $"{_service}/dt.wake/{{10}}", $"{_service}/dt.devices/{{10}}" };
        Assert.True(await database.KeyExistsAsync(keys[0]));
        Assert.Equal(T0.AddSeconds(70).ToUnixTimeMilliseconds(), await database.SortedSetScoreAsync(keys[1], "pump-17"));
        Assert.True(await database.HashExistsAsync(keys[2], "pump-17"));
        var slots = await Task.WhenAll(keys.Select(k => database.ExecuteAsync("CLUSTER", "KEYSLOT", (string)k!)));
        Assert.Single(slots.Select(s => (long)s).Distinct());

        // The shards spread over the cluster's masters; every write was confirmed by a replica.
        var nodes = devices.Select(d => database.IdentifyEndpoint($"{_service}/dt.wake/{{{DeviceTwins.Grains.Interfaces.DeviceIndexShards.Of(d, 64)}}}")).Distinct().Count();
        Assert.Equal(3, nodes);
        Assert.Equal(0, _replicas.Unconfirmed);

        var read = new GrainState<DeviceTwinState>();
        await _storage.ReadStateAsync("twin", GrainId.Create("devicetwin", "pump-17"), read);
        Assert.True(read.RecordExists);
        Assert.Equal((3L, T0.AddSeconds(70)), (read.State!.Version, read.State.WakeAt));
        Assert.Contains(await _summaries.ReadShardAsync(10), s => s.DeviceId == "pump-17");
        var index = new RedisTwinWakeIndex(_connection, _service, _wake, cluster: true);
        Assert.Contains("pump-17", await index.DueAsync(10, T0.AddSeconds(70), 100));
    }

    [Fact]
    public async Task Write_ReplicaLinkedButStopped_WaitsForIt_NotCountedUnconfirmed()
    {
        // A stopped replica process keeps its link to the master: each short WAIT times out, ROLE still lists it.
        var (replicas, storage, device, replica) = await StalledSetupAsync("stalled-1", deadline: TimeSpan.FromSeconds(30));

        Task write;
        Signal(replica, "STOP");
        try
        {
            write = storage.WriteStateAsync("twin", device, new GrainState<DeviceTwinState>(new DeviceTwinState { Version = 1 }));
            // The outage is a real process stopped for a real while: ten WAITs time out meanwhile.
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            Assert.False(write.IsCompleted, "The write counted while its only replica was stopped.");
        }
        finally
        {
            Signal(replica, "CONT");
        }

        await write;
        Assert.Equal(0, replicas.Unconfirmed);
    }

    [Fact]
    public async Task Write_ReplicaStoppedPastTheDeadline_CompletesCountedUnconfirmed()
    {
        var (replicas, storage, device, replica) = await StalledSetupAsync("stalled-2", deadline: TimeSpan.FromMilliseconds(300));

        Signal(replica, "STOP");
        try
        {
            // Completes while the replica is still stopped: the store stays available past the deadline, and says so.
            await storage.WriteStateAsync("twin", device, new GrainState<DeviceTwinState>(new DeviceTwinState { Version = 1 }));
            Assert.Equal(1, replicas.Unconfirmed);
        }
        finally
        {
            Signal(replica, "CONT");
        }
    }

    [Fact]
    public async Task Start_ClusterLayoutAgainstASingleRedis_AndTheReverse_RefusedNamingTheKey()
    {
        var single = Environment.GetEnvironmentVariable("DEVICETWINS_TEST_REDIS") ?? throw new InvalidOperationException("DEVICETWINS_TEST_REDIS is not set.");
        var cluster = Environment.GetEnvironmentVariable("DEVICETWINS_TEST_REDIS_CLUSTER")!;
        foreach (var (address, layout) in new[] { (single, true), (cluster, false) })
        {
            var connection = new TwinStoreConnection();
            var serializer = _services.GetRequiredService<Serializer>();
            var summaries = new RedisDeviceSummaryStore(connection, _service, serializer, cluster: layout);
            await using var storage = new RedisTwinStorage(connection, ConfigurationOptions.Parse(address), _service, new OrleansGrainStorageSerializer(serializer), _services.GetRequiredService<IActivatorProvider>(), new RedisTwinWakeIndex(connection, _service, _wake, cluster: layout), summaries, 64, cluster: layout);
            var lifecycle = new CapturingLifecycle();
            storage.Participate(lifecycle);
            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => lifecycle.Start!(CancellationToken.None));
            Assert.Contains("Redis:Cluster", refused.Message, StringComparison.Ordinal);
        }
    }

    // A store whose WAITs last 50 ms and whose writes wait up to the deadline, a device, and its master's replica process.
    private async Task<(ReplicaAcknowledgement Replicas, RedisTwinStorage Storage, GrainId Device, int Replica)> StalledSetupAsync(string device, TimeSpan deadline)
    {
        var replicas = new ReplicaAcknowledgement(_connection, 1, TimeSpan.FromMilliseconds(50), deadline, TimeProvider.System, NullLogger<ReplicaAcknowledgement>.Instance);
        var serializer = _services.GetRequiredService<Serializer>();
        var storage = new RedisTwinStorage(_connection, ConfigurationOptions.Parse(Environment.GetEnvironmentVariable("DEVICETWINS_TEST_REDIS_CLUSTER")!), _service, new OrleansGrainStorageSerializer(serializer), _services.GetRequiredService<IActivatorProvider>(), new RedisTwinWakeIndex(_connection, _service, _wake, cluster: true), _summaries, 64, cluster: true, replicas);
        var id = GrainId.Create("devicetwin", device);
        return (replicas, storage, id, await ReplicaProcessOfAsync(id));
    }

    // The process id of the replica of the master that holds the device's keys (its index shard's hash tag).
    private async Task<int> ReplicaProcessOfAsync(GrainId device)
    {
        var shard = DeviceTwins.Grains.Interfaces.DeviceIndexShards.Of(device.Key.ToString()!, 64);
        var master = _redis.GetServer(await _redis.GetDatabase().IdentifyEndpointAsync($"{_service}/dt.wake/{{{shard}}}") ?? throw new InvalidOperationException("No master for the shard."));
        var role = Assert.IsType<Role.Master>(await master.RoleAsync());
        var replica = Assert.Single(role.Replicas);
        await using var admin = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions { EndPoints = { { replica.Ip, replica.Port } }, AllowAdmin = true });
        var info = await admin.GetServer(replica.Ip, replica.Port).InfoAsync("server");
        return int.Parse(info.SelectMany(g => g).Single(p => p.Key == "process_id").Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = System.Diagnostics.Process.Start("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    private sealed class CapturingLifecycle : ISiloLifecycle
    {
        public Func<CancellationToken, Task>? Start { get; private set; }

        public IDisposable Subscribe(string observerName, int stage, ILifecycleObserver observer)
        {
            Start = observer.OnStart;
            return new Disposable();
        }

        public bool IsStarted(int stage) => false;

        public int HighestCompletedStage => 0;

        public int LowestStoppedStage => int.MaxValue;

        private sealed class Disposable : IDisposable
        {
            public void Dispose()
            {
            }
        }
    }
}
