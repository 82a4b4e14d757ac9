namespace DeviceTwins.Streaming.Kafka.Providers;

/// <summary>
/// Tracks reads of one partition in order and yields the offset that is safe to commit: one past the last
/// offset of the longest prefix of reads whose batches have all been delivered. Batches complete in any order.
/// </summary>
internal sealed class OffsetCommitTracker
{
    private readonly Queue<ReadBatch> _reads = new();

    /// <summary>Number of reads not yet committable.</summary>
    public int PendingReads => _reads.Count;

    /// <summary>The next offset to commit after the last advance, or null if none yet.</summary>
    public long? CommittableOffset { get; private set; }

    /// <summary>Registers a read covering offsets up to <paramref name="lastOffset"/> that produced <paramref name="batchCount"/> batches.</summary>
    public ReadBatch Begin(long lastOffset, int batchCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batchCount);
        var read = new ReadBatch(lastOffset, batchCount);
        _reads.Enqueue(read);
        return read;
    }

    /// <summary>Marks one batch of <paramref name="read"/> delivered.</summary>
    public void Complete(ReadBatch read)
    {
        ArgumentNullException.ThrowIfNull(read);
        if (read.Outstanding <= 0)
        {
            throw new InvalidOperationException($"Read ending at offset {read.LastOffset} has no outstanding batch.");
        }

        read.Outstanding--;
    }

    /// <summary>Drops fully delivered reads from the front; returns true when the committable offset moved.</summary>
    public bool TryAdvance(out long nextOffset)
    {
        var advanced = false;
        while (_reads.TryPeek(out var head) && head.Outstanding == 0)
        {
            _reads.Dequeue();
            CommittableOffset = head.LastOffset + 1;
            advanced = true;
        }

        nextOffset = CommittableOffset ?? -1;
        return advanced;
    }
}
