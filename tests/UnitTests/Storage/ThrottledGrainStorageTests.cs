using DeviceTwins.Grains.Interfaces;
using DeviceTwins.Grains.Persistence;
using DeviceTwins.Silo.Storage;
using Orleans.Persistence.Redis;
using Orleans.Storage;
using StackExchange.Redis;

namespace DeviceTwins.UnitTests.Storage;

/// <summary>A storage failure because Redis is unreachable becomes a TwinStoreUnavailableException; any other passes unchanged.</summary>
public sealed class ThrottledGrainStorageTests
{
    // The message Orleans' Redis grain storage throws: the cause only as "{type}: {message}", no inner exception.
    private const string Unreachable = "Failed to read grain state for twin with ID devicetwin/a and storage key devicetwins/state/devicetwin/a/twin. "
        + "StackExchange.Redis.RedisConnectionException: The message timed out in the backlog attempting to send because no connection became available (5000ms)";

    private static readonly GrainId Grain = GrainId.Create("devicetwin", "a");

    [Fact]
    public async Task Read_RedisUnreachable_ThrowsTwinStoreUnavailableWithoutInner()
    {
        var storage = new ThrottledGrainStorage(new FailingStorage(new RedisStorageException(Unreachable)), 2);

        var exception = await Assert.ThrowsAsync<TwinStoreUnavailableException>(() => storage.ReadStateAsync("twin", Grain, new GrainState<int>()));

        Assert.Equal("Reading state 'twin' of devicetwin/a failed: the twin store is not reachable (StackExchange.Redis.RedisConnectionException).", exception.Message);
        Assert.Null(exception.InnerException);
    }

    [Fact]
    public async Task Write_RedisTimeout_ThrowsTwinStoreUnavailable()
    {
        var storage = new ThrottledGrainStorage(new FailingStorage(new RedisTimeoutException("Timeout performing EVAL", CommandStatus.Sent)), 2);

        var exception = await Assert.ThrowsAsync<TwinStoreUnavailableException>(() => storage.WriteStateAsync("twin", Grain, new GrainState<int>()));

        Assert.Equal("Writing state 'twin' of devicetwin/a failed: the twin store is not reachable (StackExchange.Redis.RedisTimeoutException).", exception.Message);
    }

    [Fact]
    public async Task Write_OtherFailures_PassUnchanged()
    {
        var conflict = new InconsistentStateException("Version conflict");
        var corrupt = new RedisStorageException("Failed to read grain state for twin. System.Text.Json.JsonException: bad data");

        Assert.Same(conflict, await Assert.ThrowsAsync<InconsistentStateException>(() => new ThrottledGrainStorage(new FailingStorage(conflict), 2).WriteStateAsync("twin", Grain, new GrainState<int>())));
        Assert.Same(corrupt, await Assert.ThrowsAsync<RedisStorageException>(() => new ThrottledGrainStorage(new FailingStorage(corrupt), 2).ReadStateAsync("twin", Grain, new GrainState<int>())));
    }

    [Fact]
    public async Task Read_AfterFailures_SlotsAreReleased()
    {
        var storage = new ThrottledGrainStorage(new FailingStorage(new RedisStorageException(Unreachable)), 1);
        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<TwinStoreUnavailableException>(() => storage.ReadStateAsync("twin", Grain, new GrainState<int>()));
        }
    }

    [Fact]
    public async Task Write_StateAskingToGoFirst_TakesTheNextSlotAheadOfQueuedBulkWrites()
    {
        var inner = new GatedStorage();
        var storage = new ThrottledGrainStorage(inner, 1);
        var holder = storage.WriteStateAsync("twin", GrainId.Create("devicetwin", "holder"), new GrainState<Prioritized>(new Prioritized(false)));
        var bulk = storage.WriteStateAsync("twin", GrainId.Create("devicetwin", "bulk"), new GrainState<Prioritized>(new Prioritized(false)));
        var urgent = storage.WriteStateAsync("twin", GrainId.Create("devicetwin", "urgent"), new GrainState<Prioritized>(new Prioritized(true)));
        var plain = storage.WriteStateAsync("twin", GrainId.Create("devicetwin", "plain"), new GrainState<int>(1));

        for (var i = 0; i < 4; i++)
        {
            (await inner.Started.Reader.ReadAsync()).SetResult();
        }

        await Task.WhenAll(holder, bulk, urgent, plain);
        Assert.Equal(["devicetwin/holder", "devicetwin/urgent", "devicetwin/bulk", "devicetwin/plain"], inner.Order);
    }

    private sealed record Prioritized(bool WriteFirst) : IPrioritizedWrite;

    // Each write starts, is noted, and waits until the test completes it.
    private sealed class GatedStorage : IGrainStorage
    {
        public System.Threading.Channels.Channel<TaskCompletionSource> Started { get; } = System.Threading.Channels.Channel.CreateUnbounded<TaskCompletionSource>();

        public List<string> Order { get; } = [];

        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.CompletedTask;

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            lock (Order)
            {
                Order.Add(grainId.ToString());
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Started.Writer.TryWrite(done);
            return done.Task;
        }

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.CompletedTask;
    }

    private sealed class FailingStorage(Exception failure) : IGrainStorage
    {
        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.FromException(failure);

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.FromException(failure);

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.FromException(failure);
    }
}
