namespace DeviceTwins.Mqtt;

/// <summary>The MQTT bridge's settings (section "Mqtt").</summary>
public sealed class MqttBridgeOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Mqtt";

    /// <summary>Whether the all-in-one platform starts the bridge.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Address the listeners bind.</summary>
    public string BindAddress { get; set; } = "0.0.0.0";

    /// <summary>Plain MQTT port; 0 picks a free one (printed), -1 turns the plain listener off.</summary>
    public int Port { get; set; } = 1883;

    /// <summary>MQTT over TLS port, used when <see cref="TlsCertificatePath"/> is set; 0 picks a free one.</summary>
    public int TlsPort { get; set; } = 8883;

    /// <summary>PFX (PKCS#12) file of the TLS server certificate with its private key (a mounted Kubernetes Secret, say); empty: no TLS listener.</summary>
    public string TlsCertificatePath { get; set; } = string.Empty;

    /// <summary>Password of the PFX file.</summary>
    public string TlsCertificatePassword { get; set; } = string.Empty;

    /// <summary>Largest telemetry or result payload accepted; a larger one is refused and dead-lettered.</summary>
    public int MaxPayloadBytes { get; set; } = 64 * 1024;

    /// <summary>How often a connected device's credential is checked again, so a revoked one is disconnected.</summary>
    public TimeSpan CredentialCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Bootstrap servers of the Kafka cluster (the all-in-one platform sets its own).</summary>
    public string BootstrapServers { get; set; } = string.Empty;

    /// <summary>Topic telemetry, command results and connection changes are produced to.</summary>
    public string TelemetryTopic { get; set; } = "iot.telemetry";

    /// <summary>Topic of command deliveries the bridge forwards to connected devices.</summary>
    public string CommandsTopic { get; set; } = "iot.commands";

    /// <summary>Topic refused publishes go to, with the reason.</summary>
    public string DeadLetterTopic { get; set; } = "iot.telemetry.dlq";

    /// <summary>How long a publish waits for Kafka before the device is told it failed (it then re-sends); while Kafka is away no PUBACK is sent.</summary>
    public TimeSpan ProduceTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
