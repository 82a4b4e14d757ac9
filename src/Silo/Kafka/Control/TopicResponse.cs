namespace DeviceTwins.Silo.Kafka.Control;

/// <summary>A topic created by the platform and its partitions as the cluster's metadata reports them.</summary>
public sealed record TopicResponse(string Name, IReadOnlyList<PartitionResponse> Partitions);
