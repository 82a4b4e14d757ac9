using System.Text;
using Confluent.Kafka;
using DeviceTwins.Grains.Diagnostics;
using DeviceTwins.Grains.Interfaces.Commands;
using DeviceTwins.Grains.Interfaces.Models;
using DeviceTwins.Grains.Publishing;
using DeviceTwins.Silo.Configuration;

namespace DeviceTwins.Silo.Analytics;

/// <summary>
/// Publishes twins' alert changes and closed windows with one long-lived idempotent producer per silo (acks=all),
/// keyed by device id so each device's outputs stay in order on one partition. Every record carries its deterministic
/// id in the "dt.id" header (alert id and state, or window id), so a consumer can drop the rare republication after a crash.
/// Errors the producer reports (brokers unreachable, ...) are logged and counted in "devicetwins.alerts.producer_errors".
/// The same producer publishes desired-state changes (header "dt.id" = device id and version) and audit records
/// (header "dt.id" = the record's id), command deliveries (header "dt.id" = command id and attempt) and command
/// events (header "dt.id" = command id, state and attempt).
/// A fatal error (the idempotent producer can no longer keep its guarantees, e.g. an out-of-order sequence) puts the
/// producer out of use for good: it is replaced by a new one at once, without a restart. Records it failed stay in
/// their twins' outboxes and go out, in order per device, through the new producer at the outbox's next try.
/// </summary>
public sealed partial class KafkaAnalyticsPublisher : IAnalyticsPublisher, IDesiredStatePublisher, IAuditPublisher, ICommandPublisher, IDisposable
{
    /// <summary>The header holding a record's deterministic id.</summary>
    public const string IdHeader = "dt.id";

    /// <summary>The W3C trace context header of a record published by a traced twin.</summary>
    public const string TraceParentHeader = "traceparent";

    private readonly ProducerConfig _config;
    private readonly TwinMetrics _metrics;
    private readonly Lock _swap = new();
    private volatile IProducer<byte[], byte[]> _producer;
    private readonly string _alertsTopic;
    private readonly string _aggregatesTopic;
    private readonly string _desiredTopic;
    private readonly string _auditTopic;
    private readonly string _commandsTopic;
    private readonly string _commandEventsTopic;
    private readonly ILogger _logger;
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
        _logger = logger;
        _metrics = metrics;
        _config = new ProducerConfig(kafka.ClientSettings())
        {
            BootstrapServers = bootstrapServers,
            EnableIdempotence = true,
            Acks = Acks.All,
            LingerMs = 5,
            CompressionType = CompressionType.Snappy,
            AllowAutoCreateTopics = false,
            MessageTimeoutMs = 10_000,
        };
        _producer = Build();
    }

    /// <summary>Producers replaced after a fatal error.</summary>
    public int Replacements { get; private set; }

    private IProducer<byte[], byte[]> Build() => new ProducerBuilder<byte[], byte[]>(_config)
        .SetErrorHandler((producer, error) =>
        {
            _metrics.ProducerError(error.Code.ToString(), error.IsFatal);
            LogProducerError(error.Code.ToString(), error.Reason);
            if (error.IsFatal)
            {
                // Not on the client's own callback thread: replacing disposes it.
                _ = Task.Run(() => Replace(producer, error.Reason));
            }
        })
        .SetLogHandler((_, _) => { })
        .Build();

    // Swaps in a new producer if the failed one is still current, then disposes the failed one.
    private void Replace(IClient failed, string reason)
    {
        lock (_swap)
        {
            if (!ReferenceEquals(_producer, failed) || Volatile.Read(ref _disposed) == 1)
            {
                return;
            }

            _producer = Build();
            Replacements++;
        }

        _metrics.ProducerReplaced();
        LogProducerReplaced(reason);
        failed.Dispose();
    }

    private async Task<DeliveryResult<byte[], byte[]>> ProduceAsync(string topic, Message<byte[], byte[]> message, CancellationToken cancellationToken)
    {
        var producer = _producer;
        try
        {
            return await producer.ProduceAsync(topic, message, cancellationToken).ConfigureAwait(false);
        }
        catch (ProduceException<byte[], byte[]> exception) when (exception.Error.IsFatal)
        {
            _ = Task.Run(() => Replace(producer, exception.Error.Reason), CancellationToken.None);
            throw;
        }
    }

    public async Task PublishAsync(string deviceId, IReadOnlyList<AlertInfo> alerts, IReadOnlyList<WindowRecord> windows, string? traceParent = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        ArgumentNullException.ThrowIfNull(windows);
        var key = Encoding.UTF8.GetBytes(deviceId);
        var pending = new List<Task>(alerts.Count + windows.Count);
        foreach (var window in windows)
        {
            pending.Add(ProduceAsync(_aggregatesTopic, Message(key, window.Id, AnalyticsJson.Aggregate(window), traceParent), cancellationToken));
        }

        foreach (var alert in alerts)
        {
            pending.Add(ProduceAsync(_alertsTopic, Message(key, alert.Id + ":" + alert.State, AnalyticsJson.Alert(alert), traceParent), cancellationToken));
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
    }

    public async Task PublishAsync(string deviceId, IReadOnlyList<DesiredChange> changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var key = Encoding.UTF8.GetBytes(deviceId);
        // In order, one at a time: with idempotence they would stay ordered anyway, and changes are rare.
        foreach (var change in changes)
        {
            await ProduceAsync(_desiredTopic, Message(key, change.Id, DesiredStateJson.Change(change)), cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task PublishAsync(string deviceId, IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var key = Encoding.UTF8.GetBytes(deviceId);
        await Task.WhenAll(records.Select(r => ProduceAsync(_auditTopic, Message(key, r.Id, AuditJson.Record(r)), cancellationToken))).ConfigureAwait(false);
    }

    public async Task PublishAsync(string deviceId, IReadOnlyList<CommandInfo> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        var key = Encoding.UTF8.GetBytes(deviceId);
        var pending = new List<Task>(events.Count * 2);
        foreach (var change in events)
        {
            if (change.State == CommandState.Sent)
            {
                // The delivery: the bridge and Kafka devices drop a repeated attempt id they already took.
                pending.Add(ProduceAsync(_commandsTopic, Message(key, change.Id + ":" + change.Attempt, CommandJson.Delivery(change)), cancellationToken));
            }

            pending.Add(ProduceAsync(_commandEventsTopic, Message(key, CommandJson.EventId(change), CommandJson.Event(change)), cancellationToken));
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
    }

    /// <summary>Flushes outstanding records and releases the producer; once, however many registrations (it serves four interfaces) dispose it.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        lock (_swap)
        {
            _producer.Flush(TimeSpan.FromSeconds(10));
            _producer.Dispose();
        }
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "The output producer failed fatally ({Reason}) and was replaced by a new one; the records it failed are published again from the twins' outboxes")]
    private partial void LogProducerReplaced(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert and aggregate producer error {Code}: {Reason}")]
    private partial void LogProducerError(string code, string reason);
}
