using DeviceTwins.Streaming.Kafka.Hosting;

namespace DeviceTwins.Silo.Configuration;

/// <summary>The platform's Kafka settings (section "Kafka").</summary>
public sealed class KafkaOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Kafka";

    /// <summary>Bootstrap servers of the Kafka cluster; empty starts the embedded Kafka-protocol cluster.</summary>
    public string BootstrapServers { get; set; } = string.Empty;

    /// <summary>Comma-separated telemetry topics (e.g. "iot.sensor.us-east.temperature,iot.sensor.eu-west.temperature").</summary>
    public string TelemetryTopics { get; set; } = "iot.telemetry";

    /// <summary>Topic receiving telemetry records that cannot be decoded or delivered.</summary>
    public string DeadLetterTopic { get; set; } = "iot.telemetry.dlq";

    /// <summary>Topic receiving alerts.</summary>
    public string AlertsTopic { get; set; } = "iot.alerts";

    /// <summary>Topic receiving windowed aggregates.</summary>
    public string AggregatesTopic { get; set; } = "iot.aggregates";

    /// <summary>Topic receiving every change of a twin's desired state, keyed by device id.</summary>
    public string DesiredTopic { get; set; } = "iot.twin.desired";

    /// <summary>Topic receiving the audit trail: one record per write through the API, keyed by device id.</summary>
    public string AuditTopic { get; set; } = "iot.audit";

    /// <summary>Topic of command deliveries, keyed by device id (the MQTT bridge and Kafka devices read it).</summary>
    public string CommandsTopic { get; set; } = "iot.commands";

    /// <summary>Topic of every state change of every command, keyed by device id.</summary>
    public string CommandEventsTopic { get; set; } = "iot.commands.events";

    /// <summary>Consumer group under which telemetry offsets are committed.</summary>
    public string ConsumerGroup { get; set; } = "devicetwins";

    /// <summary>Partitions of each telemetry topic when the platform creates it.</summary>
    public int TelemetryPartitions { get; set; } = 12;

    /// <summary>Partitions of the alert, aggregate and dead-letter topics when the platform creates them.</summary>
    public int OutputPartitions { get; set; } = 6;

    /// <summary>Replication factor of created topics (capped at the broker count).</summary>
    public short ReplicationFactor { get; set; } = 3;

    /// <summary>Retention of raw telemetry.</summary>
    public TimeSpan TelemetryRetention { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Retention of alerts, aggregates and dead letters.</summary>
    public TimeSpan OutputRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Brokers of the embedded cluster.</summary>
    public int EmbeddedBrokers { get; set; } = 1;

    /// <summary>Loopback URL(s), ';'-separated, of the fault-injection control API of the standalone embedded cluster; port 0 picks a free port.</summary>
    public string EmbeddedControlUrls { get; set; } = "http://127.0.0.1:0";

    /// <summary>Most records taken from a partition per read.</summary>
    public int MaxRecordsPerRead { get; set; } = 65_536;

    /// <summary>Most undelivered records held per partition before reading pauses.</summary>
    public int CacheCapacity { get; set; } = 131_072;

    /// <summary>Most undelivered records held by all partitions a silo reads.</summary>
    public long SiloCacheCapacity { get; set; } = 1_000_000;

    /// <summary>Most devices new to the silo's partition caches (twins to activate) whose first batch is not delivered yet.</summary>
    public int SiloNewStreamCapacity { get; set; } = 4_096;

    /// <summary>How long the silo keeps a device's stream registered after its last record (its twin may be long gone).</summary>
    public TimeSpan StreamInactivityPeriod { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Longest time a broker holds an empty fetch of a telemetry partition (fetch.wait.max.ms). Unset: 500 ms against a
    /// real cluster (which answers as soon as records arrive) and 10 ms against the embedded one (which always waits this
    /// long, so it bounds how late a record is read).
    /// </summary>
    public TimeSpan? FetchWaitMax { get; set; }

    /// <summary>The fetch wait in force: <see cref="FetchWaitMax"/>, or its default for the embedded or a real cluster.</summary>
    public TimeSpan EffectiveFetchWaitMax(bool embeddedCluster) =>
        FetchWaitMax ?? (embeddedCluster ? TimeSpan.FromMilliseconds(10) : TimeSpan.FromMilliseconds(500));

    /// <summary>How often an idle partition's pulling agent looks for new records: a record waits up to this much for its read.</summary>
    public TimeSpan ReadPeriod { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>How often durable offsets are committed; a crash replays at most this much (replays are skipped by the twins).</summary>
    public TimeSpan CommitInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between retries of a failed delivery (storage outage); processing resumes this soon after.</summary>
    public TimeSpan DeliveryRetryMaxDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Telemetry topic names, parsed from <see cref="TelemetryTopics"/>.</summary>
    public IReadOnlyList<string> TelemetryTopicList =>
        TelemetryTopics.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Control API URLs, parsed from <see cref="EmbeddedControlUrls"/>.</summary>
    public IReadOnlyList<string> EmbeddedControlUrlList =>
        (EmbeddedControlUrls ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>True when no external cluster is configured.</summary>
    public bool UseEmbedded => string.IsNullOrWhiteSpace(BootstrapServers);

    /// <summary>TLS and SASL of every Kafka client against a real cluster (section "Kafka:Security"); the embedded cluster is plaintext.</summary>
    public KafkaSecurityOptions Security { get; set; } = new();

    /// <summary>The librdkafka settings every client of the platform starts from: the security settings, or none for the embedded cluster.</summary>
    public Dictionary<string, string> ClientSettings() => UseEmbedded ? new Dictionary<string, string>(StringComparer.Ordinal) : Security.ToClientSettings();
}
