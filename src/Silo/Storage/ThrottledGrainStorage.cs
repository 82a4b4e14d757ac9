using Orleans.Storage;

namespace DeviceTwins.Silo.Storage;

/// <summary>
/// Bounds the storage operations in flight. Without a bound, a burst of new devices issues one read and one
/// write per twin at once: tens of thousands of Redis commands queue in the client, time out after 5 s and
/// are retried, so the burst never drains. With a bound, excess operations wait here, Redis latency stays
/// low, and the pulling agents slow down reading instead (back-pressure).
/// </summary>
public sealed class ThrottledGrainStorage(IGrainStorage inner, int maxConcurrentOperations) : IGrainStorage
{
    private readonly SemaphoreSlim _slots = new(maxConcurrentOperations, maxConcurrentOperations);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WithSlotAsync(() => inner.ReadStateAsync(stateName, grainId, grainState));

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WithSlotAsync(() => inner.WriteStateAsync(stateName, grainId, grainState));

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WithSlotAsync(() => inner.ClearStateAsync(stateName, grainId, grainState));

    private async Task WithSlotAsync(Func<Task> operation)
    {
        await _slots.WaitAsync().ConfigureAwait(false);
        try
        {
            await operation().ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }
}
