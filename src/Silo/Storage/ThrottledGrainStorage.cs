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

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await _slots.WaitAsync().ConfigureAwait(false);
        try
        {
            await inner.ReadStateAsync(stateName, grainId, grainState).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await _slots.WaitAsync().ConfigureAwait(false);
        try
        {
            await inner.WriteStateAsync(stateName, grainId, grainState).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await _slots.WaitAsync().ConfigureAwait(false);
        try
        {
            await inner.ClearStateAsync(stateName, grainId, grainState).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }
}
