using System.Collections.Concurrent;

namespace DeviceTwins.Silo.Storage;

/// <summary>
/// A counting gate without a lock, for the twin store's operations in flight: a free slot is taken with one
/// compare-and-swap, and a release hands its slot to the oldest queued waiter. <see cref="SemaphoreSlim"/> takes a
/// monitor on every wait and release; with thousands of twins queued for a few hundred slots, that monitor became a
/// convoy (the README's "A twin store gate without a lock" has the trace).
/// Waiters queue in two lanes: the first lane (a new alert about a reading, a write an API caller waits for) is served
/// before the bulk lane, except that the bulk lane gets one slot after every <see cref="FirstLaneRun"/> in a row, so a
/// storm of first-lane writes slows bulk writes down but never stops them.
/// </summary>
public sealed class StorageSlots
{
    /// <summary>First-lane hand-offs in a row, while the bulk lane waits, before one goes to the bulk lane.</summary>
    public const int FirstLaneRun = 8;

    private readonly ConcurrentQueue<TaskCompletionSource> _first = new();
    private readonly ConcurrentQueue<TaskCompletionSource> _bulk = new();
    private int _free;
    private int _firstInRow;

    /// <summary>A gate of <paramref name="slots"/> slots, all free.</summary>
    public StorageSlots(int slots)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        _free = slots;
    }

    /// <summary>Slots free now.</summary>
    public int Free => Volatile.Read(ref _free);

    /// <summary>Waits queued for a slot, in both lanes.</summary>
    public int Waiting => _first.Count + _bulk.Count;

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

    /// <summary>
    /// A slot: at once when one is free, otherwise a later release, in the order the waits of its lane queued; a wait in
    /// the first lane (<paramref name="first"/>) goes ahead of the bulk lane's.
    /// </summary>
    public Task WaitAsync(bool first = false)
    {
        if (TryTake())
        {
            return Task.CompletedTask;
        }

        // Continuations run on the thread pool, not inside the release that completes them.
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        (first ? _first : _bulk).Enqueue(waiter);
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
        foreach (var lane in (ReadOnlySpan<ConcurrentQueue<TaskCompletionSource>>)[_first, _bulk])
        {
            while (lane.TryDequeue(out var waiter))
            {
                waiter.TrySetCanceled();
            }
        }
    }

    // Runs after every release and every enqueue, so whichever of a slot's release and a waiter's enqueue comes second
    // sees both and hands the slot over.
    private void HandOff()
    {
        while ((!_first.IsEmpty || !_bulk.IsEmpty) && TryTake())
        {
            if (!GiveToNextWaiter())
            {
                // Another hand-off or a cancellation emptied the queue meanwhile: the slot is free again.
                Interlocked.Increment(ref _free);
            }
        }
    }

    // Concurrent hand-offs may both read the run before either counts: the bulk lane's share is approximate, not lost.
    private bool GiveToNextWaiter()
    {
        if (Volatile.Read(ref _firstInRow) >= FirstLaneRun && GiveToNextIn(_bulk))
        {
            Volatile.Write(ref _firstInRow, 0);
            return true;
        }

        if (GiveToNextIn(_first))
        {
            Interlocked.Increment(ref _firstInRow);
            return true;
        }

        if (GiveToNextIn(_bulk))
        {
            Volatile.Write(ref _firstInRow, 0);
            return true;
        }

        return false;
    }

    private static bool GiveToNextIn(ConcurrentQueue<TaskCompletionSource> lane)
    {
        while (lane.TryDequeue(out var waiter))
        {
            if (waiter.TrySetResult())
            {
                return true;
            }
        }

        return false;
    }
}
