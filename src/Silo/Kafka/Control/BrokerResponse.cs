namespace DeviceTwins.Silo.Kafka.Control;

/// <summary>A broker: id, host:port from the cluster's metadata, whether it was taken down and its added round-trip time.</summary>
public sealed record BrokerResponse(int Id, string? Address, bool Down, int RttMs);
