namespace DeviceTwins.ApiTests;

/// <summary>Every API test shares one silo, one embedded Kafka cluster and one API host; each test uses its own devices.</summary>
[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "api";
}
