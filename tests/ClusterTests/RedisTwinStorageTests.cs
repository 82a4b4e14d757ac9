using DeviceTwins.Grains.Twin;
using DeviceTwins.Grains.Wake;
using DeviceTwins.Silo.Extensions;
using DeviceTwins.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;
using StackExchange.Redis;

namespace DeviceTwins.ClusterTests;

/// <summary>The twin store against the test script's redis-server: states, ETags and the wake index in one write.</summary>
public sealed class RedisTwinStorageTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private readonly string _service = "store-tests-" + Guid.NewGuid().ToString("N")[..8];
    private readonly TwinWakeOptions _wake = new();
    private readonly TwinStoreConnection _connection = new();
    private ServiceProvider _services = null!;
    private RedisTwinStorage _storage = null!;
    private RedisDeviceSummaryStore _summaries = null!;
    private IDatabase _redis = null!;

    public async Task InitializeAsync()
    {
        var address = Environment.GetEnvironmentVariable("DEVICETWINS_TEST_REDIS") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException("DEVICETWINS_TEST_REDIS is not set: run the tests through ./test.sh, which starts redis-server.");
        _services = new ServiceCollection().AddSerializer().AddAnalyticsSerialization().BuildServiceProvider();
        var configuration = ConfigurationOptions.Parse(address);
        var serializer = _services.GetRequiredService<Serializer>();
        _summaries = new RedisDeviceSummaryStore(_connection, _service, serializer);
        _storage = new RedisTwinStorage(_connection, configuration, _service, new OrleansGrainStorageSerializer(serializer), _services.GetRequiredService<IActivatorProvider>(), new RedisTwinWakeIndex(_connection, _service, _wake), _summaries, 64);
        _redis = (await _connection.ConnectAsync(configuration)).GetDatabase();
    }

    public async Task DisposeAsync()
    {
        await _storage.DisposeAsync();
        await _services.DisposeAsync();
    }

    [Fact]
    public async Task Write_StoresTheStateInOrleansLayout_AndTheWakeInstantInTheDevicesShard()
    {
        var grain = GrainId.Create("devicetwin", "pump-17");
        var state = new GrainState<DeviceTwinState>(new DeviceTwinState { Version = 3, MessageCount = 2, WakeAt = T0.AddSeconds(70) });

        await _storage.WriteStateAsync("twin", grain, state);

        // The key and hash fields of Orleans' Redis grain storage, so twins it stored read unchanged.
        var stored = await _redis.HashGetAllAsync($"{_service}/state/devicetwin/pump-17/twin");
        Assert.Equal(["data", "etag"], stored.Select(e => (string)e.Name!).Order());
        Assert.Equal(state.ETag, (string?)stored.Single(e => e.Name == "etag").Value);
        Assert.Equal(T0.AddSeconds(70).ToUnixTimeMilliseconds(), await _redis.SortedSetScoreAsync($"{_service}/dt.wake/10", "pump-17"));

        var read = new GrainState<DeviceTwinState>();
        await _storage.ReadStateAsync("twin", grain, read);
        Assert.True(read.RecordExists);
        Assert.Equal(state.ETag, read.ETag);
        Assert.Equal(3, read.State!.Version);
        Assert.Equal(T0.AddSeconds(70), read.State!.WakeAt);

        // The fleet index summary, in the device's index shard (10 of 64), as of this write.
        var summary = Assert.Single(await _summaries.ReadShardAsync(10));
        Assert.Equal(("pump-17", 3L), (summary.DeviceId, summary.Version));
        Assert.Empty(await _summaries.ReadShardAsync(11));

        var index = new RedisTwinWakeIndex(_connection, _service, _wake);
        Assert.Empty(await index.DueAsync(10, T0.AddSeconds(69), 10));
        Assert.Equal(["pump-17"], await index.DueAsync(10, T0.AddSeconds(70), 10));
    }

    [Fact]
    public async Task Write_NoWakeInstant_RemovesTheDeviceFromTheIndex()
    {
        var grain = GrainId.Create("devicetwin", "pump-17");
        var state = new GrainState<DeviceTwinState>(new DeviceTwinState { Version = 1, WakeAt = T0 });
        await _storage.WriteStateAsync("twin", grain, state);

        state.State!.WakeAt = null;
        await _storage.WriteStateAsync("twin", grain, state);

        Assert.Null(await _redis.SortedSetScoreAsync($"{_service}/dt.wake/10", "pump-17"));
    }

    [Fact]
    public async Task Write_StaleETag_InconsistentState_NeitherStateNorWakeInstantChange()
    {
        var grain = GrainId.Create("devicetwin", "pump-17");
        var first = new GrainState<DeviceTwinState>(new DeviceTwinState { Version = 1, WakeAt = T0 });
        await _storage.WriteStateAsync("twin", grain, first);
        var stale = new GrainState<DeviceTwinState>(new DeviceTwinState { Version = 9, WakeAt = T0.AddHours(1) }) { ETag = "not-the-stored-one" };

        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("twin", grain, stale));
        var fresh = new GrainState<DeviceTwinState>(new DeviceTwinState { Version = 5 });
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("twin", grain, fresh));

        var read = new GrainState<DeviceTwinState>();
        await _storage.ReadStateAsync("twin", grain, read);
        Assert.Equal(1, read.State!.Version);
        Assert.Equal(T0.ToUnixTimeMilliseconds(), await _redis.SortedSetScoreAsync($"{_service}/dt.wake/10", "pump-17"));
    }

    [Fact]
    public async Task AlertJournal_LatestChangePerAlert_ReadBack_Cleared()
    {
        var journal = new RedisAlertIndexJournal(_connection, _service, _services.GetRequiredService<Serializer>());
        var raised = new DeviceTwins.Grains.Interfaces.Models.AlertInfo("a-1", "pump-17", "overheat", "threshold", "temperature", "critical", "raised", 91, T0, T0, null, null, null, "above 90", false);

        await journal.AppendAsync(3, [raised, raised with { Id = "a-2" }]);
        await journal.AppendAsync(3, [raised with { State = "cleared", ClearedAt = T0.AddMinutes(1) }]);

        Assert.Equal(["a-1:cleared", "a-2:raised"], (await journal.ReadAsync(3)).Select(a => $"{a.Id}:{a.State}").Order());
        Assert.Empty(await journal.ReadAsync(4));
        await journal.ClearAsync(3);
        Assert.Empty(await journal.ReadAsync(3));
    }

    [Fact]
    public async Task ReadUnknown_NewState_NoRecord_ClearRemovesTheKey()
    {
        var grain = GrainId.Create("devicetwin", "nobody");
        var read = new GrainState<DeviceTwinState>();
        await _storage.ReadStateAsync("twin", grain, read);
        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
        Assert.NotNull(read.State);

        await _storage.WriteStateAsync("twin", grain, read);
        await _storage.ClearStateAsync("twin", grain, read);
        Assert.False(await _redis.KeyExistsAsync($"{_service}/state/devicetwin/nobody/twin"));
        Assert.False(read.RecordExists);
    }
}
