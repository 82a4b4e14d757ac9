using System.Text;
using Confluent.Kafka;
using DeviceTwins.Grains.Diagnostics;
using DeviceTwins.Grains.Interfaces.Models;
using DeviceTwins.Grains.Publishing;
using DeviceTwins.Silo.Configuration;

namespace DeviceTwins.Silo.Analytics;

/// <summary>
/// Publishes twins' alert changes and closed windows with one long-lived idempotent producer per silo (acks=all),
/// keyed by device id so each device's outputs stay in order on one partition. Every record carries its deterministic
/// id in the "dt.id" header (alert id and state, or window id), so a consumer can drop the rare republication after a crash.
/// Errors the producer reports (brokers unreachable, ...) are logged and counted in "devicetwins.alerts.producer_errors".
/// The same producer publishes desired-state changes (header "dt.id" = device id and version).
/// </summary>
public sealed partial class KafkaAnalyticsPublisher : IAnalyticsPublisher, IDesiredStatePublisher, IDisposable
{
    /// <summary>The header holding a record's deterministic id.</summary>
    public const string IdHeader = "dt.id";

    /// <summary>The W3C trace context header of a record published by a traced twin.</summary>
    public const string TraceParentHeader = "traceparent";

    private readonly IProducer<byte[], byte[]> _producer;
    private readonly string _alertsTopic;
    private readonly string _aggregatesTopic;
    private readonly string _desiredTopic;
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
        _logger = logger;
        var config = new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            EnableIdempotence = true,
            Acks = Acks.All,
            LingerMs = 5,
            CompressionType = CompressionType.Snappy,
            AllowAutoCreateTopics = false,
            MessageTimeoutMs = 10_000,
        };
        _producer = new ProducerBuilder<byte[], byte[]>(config)
            .SetErrorHandler((_, error) =>
            {
                metrics.ProducerError(error.Code.ToString(), error.IsFatal);
                LogProducerError(error.Code.ToString(), error.Reason);
            })
            .SetLogHandler((_, _) => { })
            .Build();
    }

    public async Task PublishAsync(string deviceId, IReadOnlyList<AlertInfo> alerts, IReadOnlyList<WindowRecord> windows, string? traceParent = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        ArgumentNullException.ThrowIfNull(windows);
        var key = Encoding.UTF8.GetBytes(deviceId);
        var pending = new List<Task>(alerts.Count + windows.Count);
        foreach (var window in windows)
        {
            pending.Add(_producer.ProduceAsync(_aggregatesTopic, Message(key, window.Id, AnalyticsJson.Aggregate(window), traceParent), cancellationToken));
        }

        foreach (var alert in alerts)
        {
            pending.Add(_producer.ProduceAsync(_alertsTopic, Message(key, alert.Id + ":" + alert.State, AnalyticsJson.Alert(alert), traceParent), cancellationToken));
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
            await _producer.ProduceAsync(_desiredTopic, Message(key, change.Id, DesiredStateJson.Change(change)), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Flushes outstanding records and releases the producer; once, however many registrations (it serves two interfaces) dispose it.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _producer.Flush(TimeSpan.FromSeconds(10));
        _producer.Dispose();
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert and aggregate producer error {Code}: {Reason}")]
    private partial void LogProducerError(string code, string reason);
}
