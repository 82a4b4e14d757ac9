using DeviceTwins.Streaming.Kafka.Hosting;

namespace DeviceTwins.Api.Configuration;

/// <summary>Where the alert stream reads alert changes: the platform's Kafka settings (section "Kafka").</summary>
public sealed class AlertStreamOptions
{
    /// <summary>Configuration section, shared with the silo's Kafka settings.</summary>
    public const string SectionName = "Kafka";

    /// <summary>Bootstrap servers of the Kafka cluster holding the alerts topic; empty disables GET /api/alerts/stream (503).</summary>
    public string BootstrapServers { get; set; } = string.Empty;

    /// <summary>TLS and SASL of the stream's Kafka consumer (section "Kafka:Security"), as every client of the platform.</summary>
    public KafkaSecurityOptions Security { get; set; } = new();

    /// <summary>Topic receiving alerts.</summary>
    public string AlertsTopic { get; set; } = "iot.alerts";
}
