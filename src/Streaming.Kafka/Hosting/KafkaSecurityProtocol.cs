namespace DeviceTwins.Streaming.Kafka.Hosting;

/// <summary>How a Kafka client reaches the brokers.</summary>
public enum KafkaSecurityProtocol
{
    /// <summary>No TLS, no authentication (the embedded cluster, a local broker).</summary>
    Plaintext,

    /// <summary>TLS, optionally mutual (a client certificate authenticates the client).</summary>
    Ssl,

    /// <summary>SASL authentication without TLS.</summary>
    SaslPlaintext,

    /// <summary>SASL authentication over TLS: what managed Kafka services and Strimzi's SCRAM listeners expect.</summary>
    SaslSsl,
}
