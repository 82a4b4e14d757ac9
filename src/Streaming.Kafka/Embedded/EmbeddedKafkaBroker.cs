namespace DeviceTwins.Streaming.Kafka.Embedded;

/// <summary>A broker of the embedded cluster as last set through <see cref="EmbeddedKafkaCluster"/>: its id, whether it is down and its added round-trip time.</summary>
public sealed record EmbeddedKafkaBroker(int Id, bool Down, int RttMs);
