using DeviceTwins.Silo.Storage;

namespace DeviceTwins.UnitTests.Storage;

/// <summary>The twin store's gate: slots taken without a lock, released slots handed to waiters in order.</summary>
public sealed class StorageSlotsTests
{
    [Fact]
    public async Task Full_WaitersGetReleasedSlotsInTheOrderTheyQueued()
    {
        var slots = new StorageSlots(2);
        Assert.True(slots.TryTake());
        Assert.True(slots.WaitAsync().IsCompletedSuccessfully);
        Assert.False(slots.TryTake());

        var first = slots.WaitAsync();
        var second = slots.WaitAsync();
        Assert.Equal((0, 2), (slots.Free, slots.Waiting));

        slots.Release();
        await first;
        Assert.False(second.IsCompleted);
        Assert.Equal((0, 1), (slots.Free, slots.Waiting));

        slots.Release();
        await second;
        slots.Release();
        slots.Release();
        Assert.Equal((2, 0), (slots.Free, slots.Waiting));
    }

    [Fact]
    public async Task CancelWaiters_FailsTheQueuedWaits_TheSlotsStayWithTheirHolders()
    {
        var slots = new StorageSlots(1);
        Assert.True(slots.TryTake());
        var waits = Enumerable.Range(0, 3).Select(_ => slots.WaitAsync()).ToList();

        slots.CancelWaiters();

        foreach (var wait in waits)
        {
            await Assert.ThrowsAsync<TaskCanceledException>(() => wait);
        }

        var later = slots.WaitAsync();
        Assert.False(later.IsCompleted);
        slots.Release();
        await later;
        Assert.Equal((0, 0), (slots.Free, slots.Waiting));
    }

    [Fact]
    public async Task FirstLane_IsServedBeforeTheBulkLane_EachInTheOrderItQueued()
    {
        var slots = new StorageSlots(1);
        Assert.True(slots.TryTake());
        var bulk1 = slots.WaitAsync();
        var bulk2 = slots.WaitAsync(first: false);
        var first1 = slots.WaitAsync(first: true);
        var first2 = slots.WaitAsync(first: true);
        Assert.Equal(4, slots.Waiting);

        slots.Release();
        await first1;
        Assert.False(first2.IsCompleted || bulk1.IsCompleted || bulk2.IsCompleted);
        slots.Release();
        await first2;
        Assert.False(bulk1.IsCompleted || bulk2.IsCompleted);
        slots.Release();
        await bulk1;
        Assert.False(bulk2.IsCompleted);
        slots.Release();
        await bulk2;
        slots.Release();
        Assert.Equal((1, 0), (slots.Free, slots.Waiting));
    }

    [Fact]
    public async Task FirstLaneStorm_TheBulkLaneGetsOneSlotAfterEveryRunOfTheFirstLane()
    {
        var slots = new StorageSlots(1);
        Assert.True(slots.TryTake());
        var bulk = Enumerable.Range(0, 2).Select(_ => slots.WaitAsync()).ToList();
        var first = Enumerable.Range(0, (2 * StorageSlots.FirstLaneRun) + 1).Select(_ => slots.WaitAsync(first: true)).ToList();
        var all = bulk.Concat(first).ToList();

        // Hand the slot on one release at a time and note whose wait completed: "b" for the bulk lane, "f" for the first.
        var order = new System.Text.StringBuilder();
        for (var i = 0; i < all.Count; i++)
        {
            var done = all.Where(w => w.IsCompleted).ToHashSet();
            slots.Release();
            var next = all.Single(w => !done.Contains(w) && w.IsCompleted);
            await next;
            order.Append(bulk.Contains(next) ? 'b' : 'f');
        }

        Assert.Equal("ffffffffbffffffffbf", order.ToString());
        Assert.Equal(0, slots.Waiting);
    }

    [Fact]
    public async Task CancelWaiters_FailsTheWaitsOfBothLanes()
    {
        var slots = new StorageSlots(1);
        Assert.True(slots.TryTake());
        var waits = new[] { slots.WaitAsync(), slots.WaitAsync(first: true) };

        slots.CancelWaiters();

        foreach (var wait in waits)
        {
            await Assert.ThrowsAsync<TaskCanceledException>(() => wait);
        }

        Assert.Equal((0, 0), (slots.Free, slots.Waiting));
    }

    [Fact]
    public async Task ManyThreads_NeverMoreInFlightThanSlots_EveryWaitServed()
    {
        const int capacity = 4;
        const int workers = 16;
        const int rounds = 2_000;
        var slots = new StorageSlots(capacity);
        var inFlight = 0;
        var most = 0;
        var served = 0;
        using var start = new Barrier(workers);

        var tasks = Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            start.SignalAndWait();
            for (var i = 0; i < rounds; i++)
            {
                if (!slots.TryTake())
                {
                    await slots.WaitAsync();
                }

                var now = Interlocked.Increment(ref inFlight);
                InterlockedMax(ref most, now);
                Interlocked.Increment(ref served);
                Interlocked.Decrement(ref inFlight);
                slots.Release();
            }
        })).ToList();
        await Task.WhenAll(tasks);

        Assert.Equal(workers * rounds, served);
        Assert.InRange(most, 1, capacity);
        Assert.Equal((capacity, 0), (slots.Free, slots.Waiting));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
