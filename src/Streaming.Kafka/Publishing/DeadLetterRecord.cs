namespace DeviceTwins.Streaming.Kafka.Publishing;

/// <summary>A record to dead-letter: its original bytes, where it came from and why it was rejected.</summary>
public sealed record DeadLetterRecord(string Topic, int Partition, long Offset, byte[]? Key, byte[]? Value, DateTimeOffset Timestamp, string Reason);
