using DeviceTwins.Grains.Interfaces;
using DeviceTwins.Grains.Persistence;
using Orleans.Storage;

namespace DeviceTwins.Silo.Storage;

/// <summary>
/// Bounds the storage operations in flight. Without a bound, a burst of new devices issues one read and one
/// write per twin at once: tens of thousands of Redis commands queue in the client, time out after 5 s and
/// are retried, so the burst never drains. With a bound, excess operations wait here, Redis latency stays
/// low, and the pulling agents slow down reading instead (back-pressure).
/// A failure because Redis is unreachable is rethrown as a <see cref="TwinStoreUnavailableException"/>, which
/// callers across the grain boundary (the REST API, also as a stand-alone Orleans client) recognise.
/// With a <see cref="TwinStoreCircuit"/>, that failure opens it, and while it is open every operation fails at once
/// with the same exception, without taking a slot; operations waiting for a slot when it opens give up.
/// A write of a state that asks for it (<see cref="IPrioritizedWrite"/>) waits in the first lane of <see cref="StorageSlots"/>:
/// an alert about a reading is not stored, and so not published, behind a storm of bulk writes.
/// </summary>
public sealed class ThrottledGrainStorage : IGrainStorage
{
    private readonly IGrainStorage _inner;
    private readonly TwinStoreCircuit? _circuit;
    private readonly StorageSlots _slots;

    public ThrottledGrainStorage(IGrainStorage inner, int maxConcurrentOperations, TwinStoreCircuit? circuit = null)
    {
        _inner = inner;
        _circuit = circuit;
        _slots = new StorageSlots(maxConcurrentOperations);
        // Waiters give up when the circuit opens: one callback for all of them, not a registration per waiter.
        circuit?.OnOpened(_slots.CancelWaiters);
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WithSlotAsync("Reading", stateName, grainId, first: false, () => _inner.ReadStateAsync(stateName, grainId, grainState));

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WithSlotAsync("Writing", stateName, grainId, grainState.State is IPrioritizedWrite { WriteFirst: true }, () => _inner.WriteStateAsync(stateName, grainId, grainState));

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WithSlotAsync("Clearing", stateName, grainId, first: false, () => _inner.ClearStateAsync(stateName, grainId, grainState));

    private async Task WithSlotAsync(string operation, string stateName, GrainId grainId, bool first, Func<Task> run)
    {
        // The hot path: a closed circuit and a free slot, taken at once; no message built, no cancellation registered.
        if (_circuit is not null && _circuit.IsOpen)
        {
            throw _circuit.Rejection(Describe(operation, stateName, grainId));
        }

        if (!_slots.TryTake())
        {
            await WaitForSlotAsync(operation, stateName, grainId, first).ConfigureAwait(false);
        }

        try
        {
            await run().ConfigureAwait(false);
        }
        catch (Exception exception) when (TwinStoreFailures.UnreachableCause(exception) is { } cause)
        {
            _circuit?.ReportUnreachable(cause, exception);
            // No inner exception: its type (RedisStorageException, ...) is unknown to an Orleans client, which would
            // fail to deserialize the response. The circuit logs in full the failure that opened it.
            throw new TwinStoreUnavailableException($"{Describe(operation, stateName, grainId)} failed: the twin store is not reachable ({cause}).");
        }
        finally
        {
            _slots.Release();
        }
    }

    // Every slot is taken: wait for one, or fail at once when the circuit opens meanwhile.
    private async Task WaitForSlotAsync(string operation, string stateName, GrainId grainId, bool first)
    {
        var wait = _slots.WaitAsync(first);
        if (_circuit is null)
        {
            await wait.ConfigureAwait(false);
            return;
        }

        if (_circuit.IsOpen)
        {
            // Opened between the check on entry and this wait's queueing: its callback may have run before.
            _slots.CancelWaiters();
        }

        try
        {
            await wait.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw _circuit.Rejection(Describe(operation, stateName, grainId));
        }
    }

    private static string Describe(string operation, string stateName, GrainId grainId) => $"{operation} state '{stateName}' of {grainId}";
}
