namespace DeviceTwins.Streaming.Kafka.Publishing;

/// <summary>Header names carried by every dead-letter record.</summary>
public static class DeadLetterHeaders
{
    /// <summary>Why the record was rejected (UTF-8 text).</summary>
    public const string Reason = "dlq.reason";

    /// <summary>The topic the record was read from.</summary>
    public const string Topic = "dlq.topic";

    /// <summary>The partition the record was read from (decimal text).</summary>
    public const string Partition = "dlq.partition";

    /// <summary>The offset of the record in its partition (decimal text).</summary>
    public const string Offset = "dlq.offset";

    /// <summary>Unix milliseconds (decimal text): the record's own timestamp when it was rejected on reading; the time of dead-lettering when its delivery failed.</summary>
    public const string Timestamp = "dlq.timestamp";
}
