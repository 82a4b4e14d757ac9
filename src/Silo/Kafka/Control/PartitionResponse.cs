namespace DeviceTwins.Silo.Kafka.Control;

/// <summary>A partition: its leader (-1 when it has none) and replica brokers.</summary>
public sealed record PartitionResponse(int Partition, int Leader, IReadOnlyList<int> Replicas);
