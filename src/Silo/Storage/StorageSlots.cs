using System.Collections.Concurrent;

namespace DeviceTwins.Silo.Storage;

/// <summary>
/// A counting gate without a lock, for the twin store's operations in flight: a free slot is taken with one
/// compare-and-swap, and a release hands its slot to the oldest queued waiter. <see cref="SemaphoreSlim"/> takes a
/// monitor on every wait and release; with thousands of twins queued for a few hundred slots, that monitor became a
/// convoy (the README's "A twin store gate without a lock" has the trace).
/// </summary>
public sealed class StorageSlots
{
    private readonly ConcurrentQueue<TaskCompletionSource> _waiters = new();
    private int _free;

    /// <summary>A gate of <paramref name="slots"/> slots, all free.</summary>
    public StorageSlots(int slots)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        _free = slots;
    }

    /// <summary>Slots free now.</summary>
    public int Free => Volatile.Read(ref _free);

    /// <summary>Waits queued for a slot.</summary>
    public int Waiting => _waiters.Count;

    /// <summary>Takes a free slot, if there is one.</summary>
    public bool TryTake()
    {
        var free = Volatile.Read(ref _free);
        while (free > 0)
        {
            var seen = Interlocked.CompareExchange(ref _free, free - 1, free);
            if (seen == free)
            {
                return true;
            }

            free = seen;
        }

        return false;
    }

    /// <summary>A slot: at once when one is free, otherwise the next one released, in the order the waits queued.</summary>
    public Task WaitAsync()
    {
        if (TryTake())
        {
            return Task.CompletedTask;
        }

        // Continuations run on the thread pool, not inside the release that completes them.
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiters.Enqueue(waiter);
        HandOff();
        return waiter.Task;
    }

    /// <summary>Gives back a slot taken by <see cref="TryTake"/> or <see cref="WaitAsync"/>.</summary>
    public void Release()
    {
        Interlocked.Increment(ref _free);
        HandOff();
    }

    /// <summary>Fails every queued wait with a <see cref="TaskCanceledException"/>; waits queued later are not affected.</summary>
    public void CancelWaiters()
    {
        while (_waiters.TryDequeue(out var waiter))
        {
            waiter.TrySetCanceled();
        }
    }

    // Runs after every release and every enqueue, so whichever of a slot's release and a waiter's enqueue comes second
    // sees both and hands the slot over.
    private void HandOff()
    {
        while (!_waiters.IsEmpty && TryTake())
        {
            if (!GiveToNextWaiter())
            {
                // Another hand-off or a cancellation emptied the queue meanwhile: the slot is free again.
                Interlocked.Increment(ref _free);
            }
        }
    }

    private bool GiveToNextWaiter()
    {
        while (_waiters.TryDequeue(out var waiter))
        {
            if (waiter.TrySetResult())
            {
                return true;
            }
        }

        return false;
    }
}
