namespace DeviceTwins.Streaming.Kafka.Providers;

/// <summary>One consumed Kafka record, as handed to an <see cref="IKafkaRecordMapper"/>; spans are valid only during the call.</summary>
public readonly ref struct KafkaRecord
{
    public KafkaRecord(string topic, int partition, long offset, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, DateTimeOffset timestamp, bool hasKey, string? traceParent = null)
    {
        TraceParent = traceParent;
        Topic = topic;
        Partition = partition;
        Offset = offset;
        Key = key;
        Value = value;
        Timestamp = timestamp;
        HasKey = hasKey;
    }

    /// <summary>Topic the record was read from.</summary>
    public string Topic { get; }

    /// <summary>Partition the record was read from.</summary>
    public int Partition { get; }

    /// <summary>Offset of the record in its partition.</summary>
    public long Offset { get; }

    /// <summary>Key bytes (empty when the record has no key).</summary>
    public ReadOnlySpan<byte> Key { get; }

    /// <summary>Value bytes.</summary>
    public ReadOnlySpan<byte> Value { get; }

    /// <summary>The record's Kafka timestamp.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>False when the record carries a null key.</summary>
    public bool HasKey { get; }

    /// <summary>
    /// W3C trace context (traceparent) to continue: the receive activity's when one was recorded, else the record's own
    /// "traceparent" header; null when its producer sent none.
    /// </summary>
    public string? TraceParent { get; }
}
