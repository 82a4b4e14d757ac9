using DeviceTwins.Grains.Diagnostics;
using DeviceTwins.Grains.Interfaces;
using DeviceTwins.Grains.Telemetry;
using DeviceTwins.Silo.Configuration;
using DeviceTwins.Streaming.Kafka.Providers;
using Microsoft.Extensions.Options;

namespace DeviceTwins.Silo.Kafka;

/// <summary>Maps telemetry records to the telemetry stream of their device, rejecting records that break the contract.</summary>
public sealed class TelemetryRecordMapper(IOptions<TelemetryOptions> options, TimeProvider time, TwinMetrics? metrics = null) : IKafkaRecordMapper
{
    private readonly TelemetryLimits _limits = options.Value.ToLimits();

    public KafkaRecordMapping Map(in KafkaRecord record)
    {
        if (!record.HasKey)
        {
            return KafkaRecordMapping.Reject("missing key: the record has no key; it must be the device id");
        }

        var now = time.GetUtcNow();
        if (!TelemetryParser.TryParse(record.Key, record.Value, record.Topic, record.Partition, record.Offset, _limits, now, out var telemetry, out var error))
        {
            return KafkaRecordMapping.Reject(error!);
        }

        metrics?.Intake(TwinMetrics.IntakeKafka, now - record.Timestamp);
        return KafkaRecordMapping.Accept(StreamId.Create(TelemetryStreams.Namespace, telemetry!.DeviceId), record.TraceParent is null ? telemetry : telemetry with { TraceParent = record.TraceParent });
    }
}
