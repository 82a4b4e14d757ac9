namespace DeviceTwins.Silo.Kafka.Control;

/// <summary>The answer to a leader change: the partition and the broker now leading it (-1: none).</summary>
public sealed record LeaderChangeResponse(string Topic, int Partition, int Leader);
