namespace DeviceTwins.Silo.Kafka.Control;

/// <summary>GET /cluster: the embedded cluster's brokers and the platform topics with their partition leaders.</summary>
public sealed record ClusterResponse(int BrokerCount, string BootstrapServers, IReadOnlyList<BrokerResponse> Brokers, IReadOnlyList<TopicResponse> Topics);
