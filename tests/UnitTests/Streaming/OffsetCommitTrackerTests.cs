using DeviceTwins.Streaming.Kafka.Providers;

namespace DeviceTwins.UnitTests.Streaming;

public sealed class OffsetCommitTrackerTests
{
    [Fact]
    public void TryAdvance_OnlyPastFullyDeliveredPrefixOfReads()
    {
        var tracker = new OffsetCommitTracker();
        var first = tracker.Begin(lastOffset: 99, batchCount: 2);
        var second = tracker.Begin(lastOffset: 199, batchCount: 1);

        tracker.Complete(second);
        Assert.False(tracker.TryAdvance(out _));

        tracker.Complete(first);
        Assert.False(tracker.TryAdvance(out _));

        tracker.Complete(first);
        Assert.True(tracker.TryAdvance(out var next));
        Assert.Equal(200, next);
        Assert.Equal(0, tracker.PendingReads);
    }

    [Fact]
    public void TryAdvance_ReadWithOnlyRejectedRecords_IsCommittableAtOnce()
    {
        var tracker = new OffsetCommitTracker();
        tracker.Begin(lastOffset: 9, batchCount: 0);

        Assert.True(tracker.TryAdvance(out var next));
        Assert.Equal(10, next);
    }

    [Fact]
    public void Complete_MoreThanOutstanding_Throws()
    {
        var tracker = new OffsetCommitTracker();
        var read = tracker.Begin(5, 1);
        tracker.Complete(read);

        Assert.Throws<InvalidOperationException>(() => tracker.Complete(read));
    }
}
