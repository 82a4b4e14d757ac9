namespace DeviceTwins.Streaming.Kafka.Hosting;

/// <summary>The SASL mechanism of a <see cref="KafkaSecurityProtocol.SaslPlaintext"/> or <see cref="KafkaSecurityProtocol.SaslSsl"/> client.</summary>
public enum KafkaSaslMechanism
{
    /// <summary>User name and password in the clear (only over TLS in production).</summary>
    Plain,

    /// <summary>Salted challenge-response with SHA-256.</summary>
    ScramSha256,

    /// <summary>Salted challenge-response with SHA-512 (Strimzi's <c>scram-sha-512</c>).</summary>
    ScramSha512,

    /// <summary>OAuth 2 bearer tokens fetched by the client from an OIDC token endpoint (client credentials).</summary>
    OAuthBearer,
}
