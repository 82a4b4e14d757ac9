using DeviceTwins.Streaming.Kafka.Providers;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace DeviceTwins.UnitTests.Streaming;

public sealed class KafkaQueueCacheTests
{
    private static readonly StreamId A = StreamId.Create("telemetry", "a");
    private static readonly StreamId B = StreamId.Create("telemetry", "b");

    [Fact]
    public void Cursor_SeesOnlyItsOwnStreamInOrder()
    {
        var cache = new KafkaQueueCache(100, 10);
        cache.AddToCache([Batch(A, 0, 2), Batch(B, 1), Batch(A, 3), Batch(B, 4)]);

        using var cursor = cache.GetCacheCursor(A, new EventSequenceTokenV2(0));

        Assert.Equal([0L, 3L], Drain(cursor));
    }

    [Fact]
    public void Cursor_AtEnd_SeesBatchesAddedLater()
    {
        var cache = new KafkaQueueCache(100, 10);
        cache.AddToCache([Batch(A, 0)]);
        using var cursor = cache.GetCacheCursor(A, new EventSequenceTokenV2(0));
        Assert.Equal([0L], Drain(cursor));

        cache.AddToCache([Batch(A, 5)]);
        cursor.Refresh(new EventSequenceTokenV2(5));

        Assert.Equal([5L], Drain(cursor));
    }

    [Fact]
    public void Cursor_FromToken_StartsAtBatchContainingThatOffset()
    {
        var cache = new KafkaQueueCache(100, 10);
        cache.AddToCache([Batch(A, 0, 2), Batch(A, 5, 7), Batch(A, 9)]);

        using var cursor = cache.GetCacheCursor(A, new EventSequenceTokenV2(6));

        Assert.Equal([5L, 9L], Drain(cursor));
    }

    [Fact]
    public void Cursor_WithoutToken_SeesOnlyFutureBatches()
    {
        var cache = new KafkaQueueCache(100, 10);
        cache.AddToCache([Batch(A, 0)]);
        using var cursor = cache.GetCacheCursor(A, null);
        Assert.Empty(Drain(cursor));

        cache.AddToCache([Batch(A, 1)]);
        Assert.Equal([1L], Drain(cursor));
    }

    [Fact]
    public void TryPurge_ReturnsBatchOnlyAfterCursorMovedPastIt()
    {
        var cache = new KafkaQueueCache(100, 10);
        cache.AddToCache([Batch(A, 0), Batch(A, 1)]);
        using var cursor = cache.GetCacheCursor(A, new EventSequenceTokenV2(0));

        Assert.True(Next(cursor));
        Assert.False(cache.TryPurgeFromCache(out _));

        Assert.True(Next(cursor));
        Assert.True(cache.TryPurgeFromCache(out var purged));
        Assert.Equal([0L], purged.Select(b => b.SequenceToken.SequenceNumber));

        Assert.False(Next(cursor));
        Assert.True(cache.TryPurgeFromCache(out purged));
        Assert.Equal([1L], purged.Select(b => b.SequenceToken.SequenceNumber));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void TryPurge_WaitsForSlowestCursorOfTheStream()
    {
        var cache = new KafkaQueueCache(100, 10);
        cache.AddToCache([Batch(A, 0)]);
        using var fast = cache.GetCacheCursor(A, new EventSequenceTokenV2(0));
        var slow = cache.GetCacheCursor(A, new EventSequenceTokenV2(0));
        Drain(fast);

        Assert.False(cache.TryPurgeFromCache(out _));

        slow.Dispose();
        Assert.True(cache.TryPurgeFromCache(out var purged));
        Assert.Single(purged);
    }

    [Fact]
    public void TryPurge_StreamWithoutCursor_IsPurgedOnNextCallNotOnAdd()
    {
        var cache = new KafkaQueueCache(100, 10);
        cache.AddToCache([Batch(A, 0)]);

        // The pulling agent pins a cursor right after adding; until the next purge call nothing leaves.
        using (var pin = cache.GetCacheCursor(A, new EventSequenceTokenV2(0)))
        {
            Assert.False(cache.TryPurgeFromCache(out _));
        }

        Assert.True(cache.TryPurgeFromCache(out var purged));
        Assert.Single(purged);
        Assert.Equal(0, cache.StreamCount);
    }

    [Fact]
    public void SlowStream_DoesNotHoldBackOtherStreams()
    {
        var cache = new KafkaQueueCache(100, 10);
        cache.AddToCache([Batch(A, 0), Batch(B, 1)]);
        using var slow = cache.GetCacheCursor(A, new EventSequenceTokenV2(0));
        using var other = cache.GetCacheCursor(B, new EventSequenceTokenV2(0));

        Drain(other);

        Assert.True(cache.TryPurgeFromCache(out var purged));
        Assert.Equal([1L], purged.Select(b => b.SequenceToken.SequenceNumber));
    }

    [Fact]
    public void RecordDeliveryFailure_MarksTheCurrentBatch()
    {
        var cache = new KafkaQueueCache(100, 10);
        var batch = Batch(A, 0);
        cache.AddToCache([batch]);
        using var cursor = cache.GetCacheCursor(A, new EventSequenceTokenV2(0));
        Next(cursor);

        cursor.RecordDeliveryFailure();

        Assert.True(batch.DeliveryFailed);
    }

    [Fact]
    public void IsUnderPressure_WhenAnotherReadWouldExceedCapacity()
    {
        var cache = new KafkaQueueCache(capacity: 4, maxAddCount: 2);
        cache.AddToCache([Batch(A, 0), Batch(A, 1)]);
        Assert.False(cache.IsUnderPressure());

        cache.AddToCache([Batch(A, 2)]);
        Assert.True(cache.IsUnderPressure());
        Assert.Equal(2, cache.GetMaxAddCount());
    }

    [Fact]
    public void IsUnderPressure_WhenTheSharedBudgetWouldBeExceeded()
    {
        var budget = new RecordBudget(capacity: 5);
        var first = new KafkaQueueCache(capacity: 100, maxAddCount: 2, budget);
        var second = new KafkaQueueCache(capacity: 100, maxAddCount: 2, budget);
        first.AddToCache([Batch(A, 0, 1, 2)]);
        Assert.False(second.IsUnderPressure());

        second.AddToCache([Batch(B, 0)]);
        Assert.Equal(4, budget.Held);
        Assert.True(first.IsUnderPressure());
        Assert.True(second.IsUnderPressure());

        using var cursor = first.GetCacheCursor(A, new EventSequenceTokenV2(0));
        while (Next(cursor))
        {
        }

        Assert.Equal(1, budget.Held);
        Assert.False(second.IsUnderPressure());
    }

    [Fact]
    public void NewStreams_BoundReadsUntilTheirFirstBatchIsDelivered()
    {
        var newStreams = new NewStreamBudget(capacity: 3);
        var first = new KafkaQueueCache(capacity: 100, maxAddCount: 10, newStreams: newStreams);
        var second = new KafkaQueueCache(capacity: 100, maxAddCount: 10, newStreams: newStreams);
        Assert.Equal(3, first.GetMaxAddCount());

        first.AddToCache([Batch(A, 0), Batch(A, 1)]);
        second.AddToCache([Batch(B, 0)]);
        Assert.Equal(2, newStreams.Held);
        // Room for 1 new stream; second's last read was all new streams, first's one in two records.
        Assert.Equal(1, second.GetMaxAddCount());
        Assert.Equal(2, first.GetMaxAddCount());
        Assert.False(first.IsUnderPressure());

        second.AddToCache([Batch(StreamId.Create("telemetry", "c"), 1)]);
        Assert.Equal(0, first.GetMaxAddCount());
        Assert.True(first.IsUnderPressure());
        Assert.True(second.IsUnderPressure());

        // A's first batch delivered: A is a known consumer now, and its later records do not count as new.
        using var cursor = first.GetCacheCursor(A, new EventSequenceTokenV2(0));
        Assert.True(Next(cursor));
        Assert.True(Next(cursor));
        Assert.Equal(2, newStreams.Held);
        Assert.Equal(0, first.NewStreamCount);
        first.AddToCache([Batch(A, 2)]);
        Assert.Equal(2, newStreams.Held);
        Assert.Equal(1, second.GetMaxAddCount());

        // That read brought no new stream: the next one is sized for a warm fleet.
        Assert.Equal(10, first.GetMaxAddCount());
    }

    [Fact]
    public void NewStreams_CursorsDisposedBeforeDelivery_LeaveTheBudget()
    {
        // A pulling agent that shuts down (its queue moved to another silo) disposes its cursors and never purges again.
        var newStreams = new NewStreamBudget(capacity: 2);
        var cache = new KafkaQueueCache(capacity: 100, maxAddCount: 10, newStreams: newStreams);
        cache.AddToCache([Batch(A, 0), Batch(B, 1)]);
        var a = cache.GetCacheCursor(A, new EventSequenceTokenV2(0));
        var b = cache.GetCacheCursor(B, new EventSequenceTokenV2(1));
        Assert.Equal(2, newStreams.Held);

        a.Dispose();
        b.Dispose();

        Assert.Equal(0, newStreams.Held);
        Assert.Equal(0, cache.NewStreamCount);
        Assert.Equal(2, cache.RecordCount);
    }

    [Fact]
    public void Release_AgentStopped_ItsRecordsAndNewStreamsLeaveTheSiloBudgets_Once()
    {
        // The agent's shutdown order: the receiver shuts down (the release), then the agent disposes every cursor.
        var budget = new RecordBudget(capacity: 100);
        var newStreams = new NewStreamBudget(capacity: 10);
        var stopped = new KafkaQueueCache(capacity: 100, maxAddCount: 10, budget, newStreams);
        var other = new KafkaQueueCache(capacity: 100, maxAddCount: 10, budget, newStreams);
        stopped.AddToCache([Batch(A, 0, 1), Batch(B, 2)]);
        other.AddToCache([Batch(A, 7)]);
        var a = stopped.GetCacheCursor(A, new EventSequenceTokenV2(0));
        Assert.Equal((4L, 3L), (budget.Held, newStreams.Held));

        stopped.Release();
        Assert.Equal((1L, 1L), (budget.Held, newStreams.Held));
        a.Dispose();
        stopped.Release();

        // Neither the cursor's disposal nor a second release counts anything twice.
        Assert.Equal((1L, 1L), (budget.Held, newStreams.Held));
    }

    [Fact]
    public void AdapterCache_ReceiverShutdown_ReleasesThatQueuesCache_ANewAgentStartsFromAFreeBudget()
    {
        var adapterCache = new KafkaQueueAdapterCache(new DeviceTwins.Streaming.Kafka.Hosting.KafkaStreamingOptions { CacheCapacity = 100, MaxRecordsPerRead = 10, SiloCacheCapacity = 100, SiloNewStreamCapacity = 10 });
        var queue = QueueId.GetQueueId("telemetry", 0, 1);
        var kept = (KafkaQueueCache)adapterCache.CreateQueueCache(QueueId.GetQueueId("telemetry", 1, 2));
        var moved = (KafkaQueueCache)adapterCache.CreateQueueCache(queue);
        kept.AddToCache([Batch(A, 0)]);
        moved.AddToCache([Batch(B, 0, 1, 2)]);
        Assert.Equal((4L, 2L), (adapterCache.Budget.Held, adapterCache.NewStreams.Held));

        adapterCache.ReleaseQueue(queue);
        Assert.Equal((1L, 1L), (adapterCache.Budget.Held, adapterCache.NewStreams.Held));

        // The queue comes back to this silo: its new cache counts from zero, and a late release of the old one is a no-op.
        var back = (KafkaQueueCache)adapterCache.CreateQueueCache(queue);
        back.AddToCache([Batch(B, 0)]);
        moved.Release();
        Assert.Equal((2L, 2L), (adapterCache.Budget.Held, adapterCache.NewStreams.Held));
    }

    [Fact]
    public void NewStreams_ReadSizedByTheShareOfNewStreamsInTheLastRead()
    {
        var newStreams = new NewStreamBudget(capacity: 10);
        var cache = new KafkaQueueCache(capacity: 1_000, maxAddCount: 100, newStreams: newStreams);
        Assert.Equal(10, cache.GetMaxAddCount());

        // 4 records, 2 of them new streams: half the records of a read are taken to be new devices.
        cache.AddToCache([Batch(A, 0), Batch(A, 1), Batch(B, 2), Batch(B, 3)]);
        Assert.Equal(16, cache.GetMaxAddCount());

        using var a = cache.GetCacheCursor(A, new EventSequenceTokenV2(0));
        using var b = cache.GetCacheCursor(B, new EventSequenceTokenV2(0));
        while (Next(a) || Next(b))
        {
        }

        cache.AddToCache([Batch(A, 4), Batch(B, 5)]);
        Assert.Equal(0, newStreams.Held);
        Assert.Equal(100, cache.GetMaxAddCount());
    }

    [Fact]
    public void NewStreams_StreamWithoutConsumer_LeavesTheBudgetWhenPurged()
    {
        var newStreams = new NewStreamBudget(capacity: 1);
        var cache = new KafkaQueueCache(capacity: 100, maxAddCount: 10, newStreams: newStreams);
        cache.AddToCache([Batch(A, 0), Batch(A, 1)]);
        Assert.True(cache.IsUnderPressure());

        Assert.True(cache.TryPurgeFromCache(out var purged));
        Assert.Equal(2, purged.Count);
        Assert.Equal(0, newStreams.Held);
        Assert.Equal(2, cache.GetMaxAddCount());
        Assert.False(cache.IsUnderPressure());
    }

    [Fact]
    public void ManyStreams_CursorCostDoesNotDependOnOtherStreams()
    {
        var cache = new KafkaQueueCache(300_000, 300_000);
        var batches = new List<IBatchContainer>();
        for (var i = 0; i < 200_000; i++)
        {
            batches.Add(Batch(StreamId.Create("telemetry", "d" + i), i));
        }

        cache.AddToCache(batches);
        var cursors = Enumerable.Range(0, 200_000).Select(i => cache.GetCacheCursor(StreamId.Create("telemetry", "d" + i), new EventSequenceTokenV2(i))).ToList();

        // Every cursor finds exactly its own batch; with a shared list walk this would be 200k x 200k steps.
        Assert.All(cursors, (c, i) => Assert.Equal([(long)i], Drain(c)));
        Assert.True(cache.TryPurgeFromCache(out var purged));
        Assert.Equal(200_000, purged.Count);
    }

    private static List<long> Drain(IQueueCacheCursor cursor)
    {
        var seen = new List<long>();
        while (Next(cursor))
        {
            seen.Add(cursor.GetCurrent(out _)!.SequenceToken.SequenceNumber);
        }

        return seen;
    }

    private static bool Next(IQueueCacheCursor cursor) => cursor.MoveNextWithResult().Kind == QueueCacheCursorMoveResultKind.Success;

    private static KafkaBatchContainer Batch(StreamId stream, params long[] offsets) =>
        new(stream, [.. offsets.Select(o => (object)o)], offsets);
}
