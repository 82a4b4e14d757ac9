using DeviceTwins.Silo.Configuration;
using DeviceTwins.Streaming.Kafka.Admin;

namespace DeviceTwins.Silo.Kafka;

/// <summary>The topics the platform reads and writes, with their partitions and retention.</summary>
public static class PlatformTopics
{
    /// <summary>
    /// Telemetry topics (short retention), then dead letters, alerts and aggregates (long retention), and desired state
    /// (keyed by device id like telemetry, with as many partitions; long retention), the audit trail, and commands (keyed by device id, as many partitions as telemetry) with their events (long retention).
    /// </summary>
    public static IReadOnlyList<KafkaTopicSpec> For(KafkaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var topics = options.TelemetryTopicList
            .Select(t => new KafkaTopicSpec(t, options.TelemetryPartitions, options.ReplicationFactor, options.TelemetryRetention))
            .ToList();
        topics.Add(new KafkaTopicSpec(options.DeadLetterTopic, options.OutputPartitions, options.ReplicationFactor, options.OutputRetention));
        topics.Add(new KafkaTopicSpec(options.AlertsTopic, options.OutputPartitions, options.ReplicationFactor, options.OutputRetention));
        topics.Add(new KafkaTopicSpec(options.AggregatesTopic, options.OutputPartitions, options.ReplicationFactor, options.OutputRetention));
        topics.Add(new KafkaTopicSpec(options.DesiredTopic, options.TelemetryPartitions, options.ReplicationFactor, options.OutputRetention));
        topics.Add(new KafkaTopicSpec(options.AuditTopic, options.OutputPartitions, options.ReplicationFactor, options.OutputRetention));
        topics.Add(new KafkaTopicSpec(options.CommandsTopic, options.TelemetryPartitions, options.ReplicationFactor, options.OutputRetention));
        topics.Add(new KafkaTopicSpec(options.CommandEventsTopic, options.OutputPartitions, options.ReplicationFactor, options.OutputRetention));
        return topics;
    }
}
