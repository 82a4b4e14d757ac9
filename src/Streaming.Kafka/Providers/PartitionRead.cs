using DeviceTwins.Streaming.Kafka.Publishing;
using Orleans.Streams;

namespace DeviceTwins.Streaming.Kafka.Providers;

/// <summary>What one read of a partition produced: the offsets it covers, a batch per stream, and the records it rejected.</summary>
internal sealed class PartitionRead
{
    /// <summary>Records consumed, accepted or rejected.</summary>
    public int RecordCount { get; set; }

    /// <summary>Offset of the first record consumed, or -1.</summary>
    public long FirstOffset { get; set; } = -1;

    /// <summary>Offset of the last record consumed, or -1.</summary>
    public long LastOffset { get; set; } = -1;

    /// <summary>One builder per stream, in order of first appearance.</summary>
    public List<KafkaBatchBuilder> Builders { get; } = [];

    /// <summary>The built batches, in the same order.</summary>
    public List<IBatchContainer> Batches { get; } = [];

    /// <summary>Records to dead-letter.</summary>
    public List<DeadLetterRecord> Rejected { get; } = [];
}
