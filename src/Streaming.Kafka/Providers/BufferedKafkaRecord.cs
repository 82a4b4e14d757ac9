using Confluent.Kafka;

namespace DeviceTwins.Streaming.Kafka.Providers;

/// <summary>
/// A consumed record as a partition's buffer keeps it: the client's result objects (topic partition, offset, message,
/// empty headers) are dropped at once, so a buffered record holds its key and value and little else.
/// </summary>
public readonly record struct BufferedKafkaRecord(long Offset, byte[]? Key, byte[]? Value, DateTime Timestamp, Headers? Headers)
{
    /// <summary>Approximate heap bytes the record holds: its arrays and their headers, and its slot in the buffer.</summary>
    public int Size => (Key?.Length ?? 0) + (Value?.Length ?? 0) + 96;

    /// <summary>The buffered form of <paramref name="consumed"/>.</summary>
    public static BufferedKafkaRecord From(ConsumeResult<byte[]?, byte[]?> consumed)
    {
        var message = consumed.Message;
        return new BufferedKafkaRecord(consumed.Offset.Value, message.Key, message.Value, message.Timestamp.UtcDateTime, message.Headers is { Count: > 0 } headers ? headers : null);
    }
}
