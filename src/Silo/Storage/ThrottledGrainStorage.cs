using DeviceTwins.Grains.Interfaces;
using Orleans.Storage;

namespace DeviceTwins.Silo.Storage;

/// <summary>
/// Bounds the storage operations in flight. Without a bound, a burst of new devices issues one read and one
/// write per twin at once: tens of thousands of Redis commands queue in the client, time out after 5 s and
/// are retried, so the burst never drains. With a bound, excess operations wait here, Redis latency stays
/// low, and the pulling agents slow down reading instead (back-pressure).
/// A failure because Redis is unreachable is rethrown as a <see cref="TwinStoreUnavailableException"/>, which
/// callers across the grain boundary (the REST API, also as a stand-alone Orleans client) recognise.
/// </summary>
public sealed class ThrottledGrainStorage(IGrainStorage inner, int maxConcurrentOperations) : IGrainStorage
{
    private readonly SemaphoreSlim _slots = new(maxConcurrentOperations, maxConcurrentOperations);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WithSlotAsync("Reading", stateName, grainId, () => inner.ReadStateAsync(stateName, grainId, grainState));

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WithSlotAsync("Writing", stateName, grainId, () => inner.WriteStateAsync(stateName, grainId, grainState));

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WithSlotAsync("Clearing", stateName, grainId, () => inner.ClearStateAsync(stateName, grainId, grainState));

    private async Task WithSlotAsync(string operation, string stateName, GrainId grainId, Func<Task> run)
    {
        await _slots.WaitAsync().ConfigureAwait(false);
        try
        {
            await run().ConfigureAwait(false);
        }
        catch (Exception exception) when (TwinStoreFailures.UnreachableCause(exception) is { } cause)
        {
            // No inner exception: its type (RedisStorageException, ...) is unknown to an Orleans client, which would
            // fail to deserialize the response. The storage provider has logged the cause in full.
            throw new TwinStoreUnavailableException($"{operation} state '{stateName}' of {grainId} failed: the twin store is not reachable ({cause}).");
        }
        finally
        {
            _slots.Release();
        }
    }
}
