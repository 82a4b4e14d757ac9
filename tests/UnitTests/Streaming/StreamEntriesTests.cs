using DeviceTwins.Streaming.Kafka.Providers;

namespace DeviceTwins.UnitTests.Streaming;

/// <summary>One stream's batches and cursors: in fields while there is one, in lists for more, positions unchanged either way.</summary>
public sealed class StreamEntriesTests
{
    private static readonly StreamId A = StreamId.Create("telemetry", "a");

    [Fact]
    public void Batches_OneThenManyThenDrainedThenOne_KeepTheirPositionsAndOrder()
    {
        var entries = new StreamEntries(A);
        entries.Append(Batch(10));
        Assert.Equal((0L, 1L, 10L), (entries.BasePosition, entries.EndPosition, entries.Get(0).LastOffset));

        entries.Append(Batch(11));
        entries.Append(Batch(12, 13));
        Assert.Equal(3, entries.Count);
        Assert.Equal([10L, 11L, 13L], [entries.Get(0).LastOffset, entries.Get(1).LastOffset, entries.Get(2).LastOffset]);
        Assert.Equal(2, entries.PositionOf(12));

        Assert.Equal([10L, 11L, 13L], [entries.Dequeue().LastOffset, entries.Dequeue().LastOffset, entries.Dequeue().LastOffset]);
        Assert.Equal((0, 3L, 3L), (entries.Count, entries.BasePosition, entries.PositionOf(0)));

        entries.Append(Batch(20));
        Assert.Equal((1, 3L, 20L), (entries.Count, entries.BasePosition, entries.Get(3).LastOffset));
        Assert.Throws<ArgumentOutOfRangeException>(() => entries.Get(4));
        Assert.Equal(20L, entries.Dequeue().LastOffset);
        Assert.Throws<InvalidOperationException>(() => entries.Dequeue());
    }

    [Fact]
    public void Cursors_AddedAndRemovedInAnyOrder_AreCountedAndTheLowestHeldPositionIsKept()
    {
        var cache = new KafkaQueueCache(100, 10);
        var entries = new StreamEntries(A);
        var first = new KafkaQueueCacheCursor(cache, entries, 5);
        var second = new KafkaQueueCacheCursor(cache, entries, 2);
        var third = new KafkaQueueCacheCursor(cache, entries, 7);
        Assert.Equal(long.MaxValue, entries.HeldPosition());

        entries.AddCursor(first);
        entries.AddCursor(second);
        entries.AddCursor(third);
        Assert.Equal((3, 2L), (entries.CursorCount, entries.HeldPosition()));

        entries.RemoveCursor(first);
        Assert.Equal((2, 2L), (entries.CursorCount, entries.HeldPosition()));
        entries.RemoveCursor(second);
        Assert.Equal((1, 7L), (entries.CursorCount, entries.HeldPosition()));
        entries.RemoveCursor(second);
        Assert.Equal(1, entries.CursorCount);
        entries.RemoveCursor(third);
        Assert.Equal((0, long.MaxValue), (entries.CursorCount, entries.HeldPosition()));
    }

    private static KafkaBatchContainer Batch(params long[] offsets) => new(A, [.. offsets.Select(o => (object)o)], offsets);
}
