using DeviceTwins.Silo.Configuration;
using DeviceTwins.Streaming.Kafka.Hosting;

namespace DeviceTwins.UnitTests.Configuration;

public sealed class KafkaSecurityOptionsTests
{
    private const string S = "Kafka:Security";
    private static readonly Func<string, bool> Exists = path => path.StartsWith("/certs/", StringComparison.Ordinal);

    [Fact]
    public void Default_IsPlaintextAndValid()
    {
        var options = new KafkaSecurityOptions();

        Assert.Empty(options.Validate(S, Exists));
        Assert.Equal(new Dictionary<string, string> { ["security.protocol"] = "plaintext" }, options.ToClientSettings());
    }

    [Fact]
    public void MutualTls_MapsEveryFile_AndHostnameVerification()
    {
        var options = new KafkaSecurityOptions
        {
            Protocol = KafkaSecurityProtocol.Ssl,
            CaLocation = "/certs/ca.crt",
            CertificateLocation = "/certs/user.crt",
            KeyLocation = "/certs/user.key",
            KeyPassword = "key-pass",
        };

        Assert.Empty(options.Validate(S, Exists));
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["security.protocol"] = "ssl",
                ["ssl.ca.location"] = "/certs/ca.crt",
                ["ssl.certificate.location"] = "/certs/user.crt",
                ["ssl.key.location"] = "/certs/user.key",
                ["ssl.key.password"] = "key-pass",
                ["ssl.endpoint.identification.algorithm"] = "https",
            },
            options.ToClientSettings());
    }

    [Theory]
    [InlineData(KafkaSaslMechanism.Plain, "PLAIN")]
    [InlineData(KafkaSaslMechanism.ScramSha256, "SCRAM-SHA-256")]
    [InlineData(KafkaSaslMechanism.ScramSha512, "SCRAM-SHA-512")]
    public void SaslOverTls_MapsTheMechanismAndCredentials(KafkaSaslMechanism mechanism, string name)
    {
        var options = new KafkaSecurityOptions { Protocol = KafkaSecurityProtocol.SaslSsl, SaslMechanism = mechanism, Username = "silo", Password = "pw", VerifyHostname = false };

        Assert.Empty(options.Validate(S, Exists));
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["security.protocol"] = "sasl_ssl",
                ["ssl.endpoint.identification.algorithm"] = "none",
                ["sasl.mechanism"] = name,
                ["sasl.username"] = "silo",
                ["sasl.password"] = "pw",
            },
            options.ToClientSettings());
    }

    [Fact]
    public void OAuthBearer_UsesTheOidcClientCredentialsFlow()
    {
        var options = new KafkaSecurityOptions
        {
            Protocol = KafkaSecurityProtocol.SaslSsl,
            SaslMechanism = KafkaSaslMechanism.OAuthBearer,
            TokenEndpointUrl = "https://login.example.com/oauth2/token",
            ClientId = "devicetwins-silo",
            ClientSecret = "s3cret",
            Scope = "kafka",
        };

        Assert.Empty(options.Validate(S, Exists));
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["security.protocol"] = "sasl_ssl",
                ["ssl.endpoint.identification.algorithm"] = "https",
                ["sasl.mechanism"] = "OAUTHBEARER",
                ["sasl.oauthbearer.method"] = "oidc",
                ["sasl.oauthbearer.token.endpoint.url"] = "https://login.example.com/oauth2/token",
                ["sasl.oauthbearer.client.id"] = "devicetwins-silo",
                ["sasl.oauthbearer.client.secret"] = "s3cret",
                ["sasl.oauthbearer.scope"] = "kafka",
            },
            options.ToClientSettings());
    }

    public static TheoryData<KafkaSecurityOptions, string> Invalid => new()
    {
        { new KafkaSecurityOptions { Protocol = KafkaSecurityProtocol.Ssl, CaLocation = "/etc/missing-ca.crt" }, "Kafka:Security:CaLocation '/etc/missing-ca.crt' does not exist." },
        { new KafkaSecurityOptions { Protocol = KafkaSecurityProtocol.Plaintext, CaLocation = "/certs/ca.crt" }, "Kafka:Security:CaLocation is set but Kafka:Security:Protocol Plaintext does not use TLS." },
        { new KafkaSecurityOptions { Protocol = KafkaSecurityProtocol.Ssl, CertificateLocation = "/certs/user.crt" }, "Kafka:Security:CertificateLocation and Kafka:Security:KeyLocation go together (mutual TLS needs both)." },
        { new KafkaSecurityOptions { Protocol = KafkaSecurityProtocol.SaslSsl }, "Kafka:Security:SaslMechanism is required with Kafka:Security:Protocol SaslSsl (Plain, ScramSha256, ScramSha512, OAuthBearer)." },
        { new KafkaSecurityOptions { Protocol = KafkaSecurityProtocol.SaslSsl, SaslMechanism = KafkaSaslMechanism.ScramSha512, Username = "silo" }, "Kafka:Security:Username and Kafka:Security:Password are required for ScramSha512." },
        { new KafkaSecurityOptions { Protocol = KafkaSecurityProtocol.SaslSsl, SaslMechanism = KafkaSaslMechanism.OAuthBearer, ClientId = "c", ClientSecret = "s", TokenEndpointUrl = "login.example.com/token" }, "Kafka:Security:TokenEndpointUrl must be the absolute http(s) URL of the OIDC token endpoint for OAuthBearer." },
        { new KafkaSecurityOptions { Protocol = KafkaSecurityProtocol.SaslSsl, SaslMechanism = KafkaSaslMechanism.OAuthBearer, TokenEndpointUrl = "https://login.example.com/token" }, "Kafka:Security:ClientId and Kafka:Security:ClientSecret are required for OAuthBearer." },
        { new KafkaSecurityOptions { Protocol = KafkaSecurityProtocol.Ssl, Username = "silo", Password = "pw" }, "Kafka:Security: SASL settings are set but Kafka:Security:Protocol Ssl does not use SASL." },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Validate_NamesTheKey(KafkaSecurityOptions options, string expected) =>
        Assert.Equal([expected], options.Validate(S, Exists));

    [Fact]
    public void KafkaOptions_EmbeddedClusterWithTls_IsRefused_AndGetsNoSecuritySettings()
    {
        var embedded = new KafkaOptions { Security = new KafkaSecurityOptions { Protocol = KafkaSecurityProtocol.Ssl } };

        var result = new KafkaOptionsValidator().Validate(null, embedded);

        Assert.Contains("Kafka:Security:Protocol Ssl needs Kafka:BootstrapServers: the embedded cluster speaks plaintext only.", result.Failures!);
        Assert.Empty(embedded.ClientSettings());
    }

    [Fact]
    public void KafkaOptions_RealCluster_EveryClientStartsFromTheSecuritySettings()
    {
        var real = new KafkaOptions
        {
            BootstrapServers = "kafka-0.kafka:9093",
            Security = new KafkaSecurityOptions { Protocol = KafkaSecurityProtocol.SaslSsl, SaslMechanism = KafkaSaslMechanism.ScramSha512, Username = "silo", Password = "pw" },
        };

        Assert.Equal(real.Security.ToClientSettings(), real.ClientSettings());
        Assert.Equal("sasl_ssl", new Confluent.Kafka.ProducerConfig(real.ClientSettings()).Get("security.protocol"));
    }
}
