namespace DeviceTwins.Streaming.Kafka;

/// <summary>A failure of the Kafka stream provider, carrying the topic, partition and offset it concerns when known.</summary>
public sealed class KafkaStreamingException : Exception
{
    public KafkaStreamingException(string message)
        : base(message)
    {
    }

    public KafkaStreamingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public KafkaStreamingException(string message, string topic, int partition, long offset, Exception? innerException = null)
        : base($"{message} ({topic}[{partition}]@{offset})", innerException)
    {
        Topic = topic;
        Partition = partition;
        Offset = offset;
    }

    /// <summary>The topic concerned, if any.</summary>
    public string? Topic { get; }

    /// <summary>The partition concerned, or -1.</summary>
    public int Partition { get; } = -1;

    /// <summary>The offset concerned, or -1.</summary>
    public long Offset { get; } = -1;
}
