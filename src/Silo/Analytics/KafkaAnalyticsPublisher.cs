using System.Text;
using Confluent.Kafka;
using DeviceTwins.Grains.Diagnostics;
using DeviceTwins.Grains.Interfaces.Commands;
using DeviceTwins.Grains.Interfaces.Models;
using DeviceTwins.Grains.Publishing;
using DeviceTwins.Silo.Configuration;

namespace DeviceTwins.Silo.Analytics;

/// <summary>
/// Publishes twins' alert changes and closed windows with long-lived idempotent producers (acks=all), keyed by device id
/// so each device's outputs stay in order on one partition. Every record carries its deterministic id in the "dt.id"
/// header (alert id and state, or window id), so a consumer can drop the rare republication after a crash.
/// A batch holding a new alert about a reading goes out through a producer of its own (the first lane), so it is not
/// queued behind the bulk of windows and heartbeat alerts in the other producer's queues; a twin has one batch in
/// flight at a time, so its outputs still leave in order. The first lane also carries what an operator waits for:
/// desired-state changes (header "dt.id" = device id and version), command deliveries (header "dt.id" = command id and
/// attempt) and command events (header "dt.id" = command id, state and attempt); the bulk producer, audit records
/// (header "dt.id" = the record's id).
/// A producer that fails fatally is replaced at once (<see cref="OutputProducer"/>).
/// </summary>
public sealed class KafkaAnalyticsPublisher : IAnalyticsPublisher, IDesiredStatePublisher, IAuditPublisher, ICommandPublisher, IDisposable
{
    /// <summary>The header holding a record's deterministic id.</summary>
    public const string IdHeader = "dt.id";

    /// <summary>The W3C trace context header of a record published by a traced twin.</summary>
    public const string TraceParentHeader = "traceparent";

    private readonly OutputProducer _bulk;
    private readonly OutputProducer _first;
    private readonly string _alertsTopic;
    private readonly string _aggregatesTopic;
    private readonly string _desiredTopic;
    private readonly string _auditTopic;
    private readonly string _commandsTopic;
    private readonly string _commandEventsTopic;
    private int _disposed;

    public KafkaAnalyticsPublisher(KafkaOptions kafka, string bootstrapServers, TwinMetrics metrics, ILogger<KafkaAnalyticsPublisher> logger)
    {
        ArgumentNullException.ThrowIfNull(kafka);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentException.ThrowIfNullOrWhiteSpace(bootstrapServers);
        _alertsTopic = kafka.AlertsTopic;
        _aggregatesTopic = kafka.AggregatesTopic;
        _desiredTopic = kafka.DesiredTopic;
        _auditTopic = kafka.AuditTopic;
        _commandsTopic = kafka.CommandsTopic;
        _commandEventsTopic = kafka.CommandEventsTopic;
        var config = new ProducerConfig(kafka.ClientSettings())
        {
            BootstrapServers = bootstrapServers,
            EnableIdempotence = true,
            Acks = Acks.All,
            LingerMs = 5,
            CompressionType = CompressionType.Snappy,
            AllowAutoCreateTopics = false,
            MessageTimeoutMs = 10_000,
            // Only the error of a delivery report is read: no copy of each record's key, value and headers back.
            DeliveryReportFields = "none",
        };
        _bulk = new OutputProducer(config, metrics, logger);
        // Few records, sent at once: no linger, no batching behind the bulk producer's.
        _first = new OutputProducer(new ProducerConfig(config) { LingerMs = 0 }, metrics, logger);
    }

    /// <summary>Producers replaced after a fatal error.</summary>
    public int Replacements => _bulk.Replacements + _first.Replacements;

    public Task PublishAsync(string deviceId, IReadOnlyList<AlertInfo> alerts, IReadOnlyList<WindowRecord> windows, bool first, string? traceParent = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        ArgumentNullException.ThrowIfNull(windows);
        var key = Encoding.UTF8.GetBytes(deviceId);
        var records = new List<(string, Message<byte[], byte[]>)>(alerts.Count + windows.Count);
        foreach (var window in windows)
        {
            records.Add((_aggregatesTopic, Message(key, window.Id, AnalyticsJson.Aggregate(window), traceParent)));
        }

        foreach (var alert in alerts)
        {
            records.Add((_alertsTopic, Message(key, alert.Id + ":" + alert.State, AnalyticsJson.Alert(alert), traceParent)));
        }

        return (first ? _first : _bulk).ProduceAsync(records, cancellationToken);
    }

    public async Task PublishAsync(string deviceId, IReadOnlyList<DesiredChange> changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var key = Encoding.UTF8.GetBytes(deviceId);
        // In order, one at a time: with idempotence they would stay ordered anyway, and changes are rare.
        foreach (var change in changes)
        {
            await _first.ProduceAsync([(_desiredTopic, Message(key, change.Id, DesiredStateJson.Change(change)))], cancellationToken).ConfigureAwait(false);
        }
    }

    public Task PublishAsync(string deviceId, IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var key = Encoding.UTF8.GetBytes(deviceId);
        return _bulk.ProduceAsync([.. records.Select(r => (_auditTopic, Message(key, r.Id, AuditJson.Record(r))))], cancellationToken);
    }

    public Task PublishAsync(string deviceId, IReadOnlyList<CommandInfo> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        var key = Encoding.UTF8.GetBytes(deviceId);
        var records = new List<(string, Message<byte[], byte[]>)>(events.Count * 2);
        foreach (var change in events)
        {
            if (change.State == CommandState.Sent)
            {
                // The delivery: the bridge and Kafka devices drop a repeated attempt id they already took.
                records.Add((_commandsTopic, Message(key, change.Id + ":" + change.Attempt, CommandJson.Delivery(change))));
            }

            records.Add((_commandEventsTopic, Message(key, CommandJson.EventId(change), CommandJson.Event(change))));
        }

        return _first.ProduceAsync(records, cancellationToken);
    }

    /// <summary>Flushes outstanding records and releases the producers; once, however many registrations (it serves four interfaces) dispose it.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _first.Dispose();
        _bulk.Dispose();
    }

    private static Message<byte[], byte[]> Message(byte[] key, string id, byte[] value, string? traceParent = null)
    {
        var headers = new Headers { new Header(IdHeader, Encoding.UTF8.GetBytes(id)) };
        if (traceParent is not null)
        {
            headers.Add(TraceParentHeader, Encoding.ASCII.GetBytes(traceParent));
        }

        return new Message<byte[], byte[]> { Key = key, Value = value, Headers = headers };
    }
}
