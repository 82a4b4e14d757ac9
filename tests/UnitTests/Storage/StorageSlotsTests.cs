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
