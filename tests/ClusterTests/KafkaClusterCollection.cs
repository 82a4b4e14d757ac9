namespace DeviceTwins.ClusterTests;

[CollectionDefinition(Name)]
public sealed class KafkaClusterCollection : ICollectionFixture<KafkaClusterFixture>
{
    public const string Name = "kafka-cluster";
}
