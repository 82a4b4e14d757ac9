using Confluent.Kafka;

namespace DeviceTwins.Streaming.Kafka.Providers;

/// <summary>What <see cref="SharedKafkaConsumer"/> holds for one partition: records read for it by other receivers' polls.</summary>
internal sealed class SharedPartitionBuffer(Action<string> onCommitFailed)
{
    /// <summary>Records not yet taken by the partition's receiver, in offset order.</summary>
    public Queue<ConsumeResult<byte[]?, byte[]?>> Records { get; } = new();

    /// <summary>Approximate heap bytes of <see cref="Records"/>.</summary>
    public long Bytes { get; set; }

    /// <summary>Whether fetching is paused because the buffer is full.</summary>
    public bool Paused { get; set; }

    /// <summary>A consume error met while another receiver polled, thrown to this partition's receiver.</summary>
    public ConsumeException? Error { get; set; }

    /// <summary>Where reading began (the group's committed offset), until the first record is read.</summary>
    public long? StartOffset { get; set; }

    /// <summary>Hears a failed commit of this partition's offset.</summary>
    public Action<string> OnCommitFailed { get; } = onCommitFailed;
}
