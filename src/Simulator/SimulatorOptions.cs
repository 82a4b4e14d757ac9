using DeviceTwins.Streaming.Kafka.Hosting;

namespace DeviceTwins.Simulator;

/// <summary>Settings of the fleet simulator.</summary>
public sealed class SimulatorOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Simulator";

    /// <summary>Whether the platform runs the simulator in-process.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Kafka bootstrap servers to produce to (the platform fills this in when hosting the simulator).</summary>
    public string BootstrapServers { get; set; } = string.Empty;

    /// <summary>Topic receiving the telemetry.</summary>
    public string Topic { get; set; } = "iot.telemetry";

    /// <summary>Number of simulated devices.</summary>
    public int Devices { get; set; } = 50;

    /// <summary>Records per second across the fleet.</summary>
    public double RatePerSecond { get; set; } = 25;

    /// <summary>Prefix of device ids ("sim-0001", ...).</summary>
    public string DevicePrefix { get; set; } = "sim";

    /// <summary>Stop after this many records; 0 runs until stopped.</summary>
    public long MaxRecords { get; set; }

    /// <summary>Seed of the random walk, for reproducible fleets.</summary>
    public int Seed { get; set; } = 17;

    /// <summary>Anomalies to inject into chosen devices, so alerts appear.</summary>
    public List<AnomalyOptions> Anomalies { get; set; } = [];

    /// <summary>Kafka (the default) or MQTT through the bridge.</summary>
    public SimulatorTransport Transport { get; set; } = SimulatorTransport.Kafka;

    /// <summary>The MQTT bridge's host, with <see cref="SimulatorTransport.Mqtt"/>.</summary>
    public string MqttHost { get; set; } = "127.0.0.1";

    /// <summary>The MQTT bridge's port, with <see cref="SimulatorTransport.Mqtt"/>.</summary>
    public int MqttPort { get; set; } = 1883;

    /// <summary>The REST API the stand-alone simulator issues its devices' MQTT credentials through (POST /api/devices/{id}/credentials).</summary>
    public string ApiUrl { get; set; } = string.Empty;

    /// <summary>An API key with the write role, for <see cref="ApiUrl"/>; never logged.</summary>
    public string ApiKey { get; set; } = string.Empty;

    /// <summary>
    /// Issues a device's MQTT credential and returns its secret, in place of the REST API (set by a host that runs the
    /// simulator beside the twins); not bound from configuration.
    /// </summary>
    public Func<string, CancellationToken, Task<string>>? IssueCredential { get; set; }

    /// <summary>librdkafka settings the producer starts from (TLS and SASL, set by the platform from Kafka:Security); never logged.</summary>
    public Dictionary<string, string> ClientSettings { get; set; } = [];

    /// <summary>TLS and SASL of the stand-alone simulator (Simulator:Security, as Kafka:Security); <see cref="ClientSettings"/> set by a host wins.</summary>
    public KafkaSecurityOptions Security { get; set; } = new();

    /// <summary>The producer's librdkafka settings: <see cref="Security"/>'s, then <see cref="ClientSettings"/> over them.</summary>
    public Dictionary<string, string> ProducerClientSettings()
    {
        var settings = Security.ToClientSettings();
        foreach (var (key, value) in ClientSettings)
        {
            settings[key] = value;
        }

        return settings;
    }
}
