namespace DeviceTwins.Streaming.Kafka.Admin;

/// <summary>A topic the platform needs: its partitions, replication and retention.</summary>
public sealed record KafkaTopicSpec(string Name, int Partitions, short ReplicationFactor, TimeSpan Retention);
