using Confluent.Kafka;
using DeviceTwins.Streaming.Kafka.Embedded;
using DeviceTwins.Streaming.Kafka.Hosting;

namespace DeviceTwins.ClusterTests;

/// <summary>
/// What the embedded Kafka-protocol cluster (librdkafka's mock cluster) lets us exercise of Kafka security for real: it
/// listens in plaintext and has no SASL, so a client built from <see cref="KafkaSecurityOptions"/> must start a TLS
/// handshake or a SASL handshake with it and fail with librdkafka's own error for exactly that.
/// </summary>
public sealed class KafkaSecurityTests : IDisposable
{
    private readonly EmbeddedKafkaCluster _cluster = EmbeddedKafkaCluster.Start();

    [Fact]
    public void Plaintext_ReadsMetadata()
    {
        var (metadata, errors) = Probe(new KafkaSecurityOptions());

        Assert.Single(metadata!.Brokers);
        Assert.Empty(errors);
    }

    [Fact]
    public void Tls_StartsAHandshakeThatThePlaintextListenerRefuses()
    {
        var (metadata, errors) = Probe(new KafkaSecurityOptions { Protocol = KafkaSecurityProtocol.Ssl, VerifyHostname = false });

        Assert.Null(metadata);
        Assert.Contains(errors, e => e.Code == Confluent.Kafka.ErrorCode.Local_Transport && e.Reason.Contains("SSL handshake failed", StringComparison.Ordinal)
            && e.Reason.StartsWith("ssl://", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(KafkaSaslMechanism.Plain, "PLAIN")]
    [InlineData(KafkaSaslMechanism.ScramSha256, "SCRAM-SHA-256")]
    [InlineData(KafkaSaslMechanism.ScramSha512, "SCRAM-SHA-512")]
    public void Sasl_StartsTheMechanismsHandshake_WhichTheClusterDoesNotSupport(KafkaSaslMechanism mechanism, string name)
    {
        var (metadata, errors) = Probe(new KafkaSecurityOptions { Protocol = KafkaSecurityProtocol.SaslPlaintext, SaslMechanism = mechanism, Username = "silo", Password = "secret-1" });

        Assert.Null(metadata);
        Assert.Contains(errors, e => e.Code == Confluent.Kafka.ErrorCode.Local_Authentication
            && e.Reason.Contains($"SASL Handshake not supported by broker (required by mechanism {name})", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.Reason.Contains("secret-1", StringComparison.Ordinal));
    }

    public void Dispose() => _cluster.Dispose();

    private (Metadata? Metadata, List<Error> Errors) Probe(KafkaSecurityOptions security)
    {
        var errors = new List<Error>();
        using var admin = new AdminClientBuilder(new AdminClientConfig(security.ToClientSettings()) { BootstrapServers = _cluster.BootstrapServers })
            .SetErrorHandler((_, error) =>
            {
                lock (errors)
                {
                    errors.Add(error);
                }
            })
            .SetLogHandler((_, _) => { })
            .Build();
        try
        {
            return (admin.GetMetadata(TimeSpan.FromSeconds(3)), errors);
        }
        catch (KafkaException)
        {
            lock (errors)
            {
                return (null, [.. errors]);
            }
        }
    }
}
