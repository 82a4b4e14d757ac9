namespace DeviceTwins.Streaming.Kafka.Providers;

/// <summary>One read from a partition: the last offset it covers and how many of its batches are still undelivered.</summary>
internal sealed class ReadBatch
{
    public ReadBatch(long lastOffset, int outstanding)
    {
        LastOffset = lastOffset;
        Outstanding = outstanding;
    }

    /// <summary>The highest offset consumed by this read, accepted or rejected.</summary>
    public long LastOffset { get; }

    /// <summary>Batches of this read not yet delivered (or dead-lettered).</summary>
    public int Outstanding { get; set; }
}
