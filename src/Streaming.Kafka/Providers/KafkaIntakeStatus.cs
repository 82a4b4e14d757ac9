namespace DeviceTwins.Streaming.Kafka.Providers;

/// <summary>
/// How far this process's partition receivers have read: of the <paramref name="Total"/> partitions the provider reads
/// (over every process), <paramref name="Reading"/> are read here, and <paramref name="CaughtUp"/> of those have found
/// the partition's end at their last read with every record read before it delivered.
/// </summary>
public readonly record struct KafkaIntakeStatus(int CaughtUp, int Reading, int Total);
