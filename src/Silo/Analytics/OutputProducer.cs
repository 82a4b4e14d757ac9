using Confluent.Kafka;
using DeviceTwins.Grains.Diagnostics;

namespace DeviceTwins.Silo.Analytics;

/// <summary>
/// One long-lived idempotent producer of the silo's outputs that replaces itself after a fatal error (the idempotent
/// producer can no longer keep its guarantees, e.g. an out-of-order sequence), at once and without a restart. Records
/// the failed producer could not deliver stay in their twins' outboxes and go out again through the new one.
/// Errors the producer reports are logged and counted in "devicetwins.alerts.producer_errors".
/// </summary>
internal sealed partial class OutputProducer : IDisposable
{
    private readonly ProducerConfig _config;
    private readonly TwinMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Lock _swap = new();
    private volatile IProducer<byte[], byte[]> _producer;
    private int _disposed;

    public OutputProducer(ProducerConfig config, TwinMetrics metrics, ILogger logger)
    {
        _config = config;
        _metrics = metrics;
        _logger = logger;
        _producer = Build();
    }

    /// <summary>Producers replaced after a fatal error.</summary>
    public int Replacements { get; private set; }

    /// <summary>
    /// Sends the records and completes once every one is acknowledged; fails with the first error, after the records
    /// already handed to the producer are reported. Stops sending at the first record the producer refuses, or once
    /// <paramref name="cancellationToken"/> is cancelled (records already sent still count).
    /// </summary>
    public Task ProduceAsync(IReadOnlyList<(string Topic, Message<byte[], byte[]> Message)> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var producer = _producer;
        var batch = new DeliveryBatch();
        // One handler per batch, not a task per record; a fatal error replaces the producer that reported it.
        Action<DeliveryReport<byte[], byte[]>> reported = report =>
        {
            ReplaceIfFatal(producer, report.Error);
            batch.Reported(report.Error, report);
        };
        foreach (var (topic, message) in records)
        {
            if (batch.HasFailed)
            {
                break;
            }

            if (cancellationToken.IsCancellationRequested)
            {
                batch.Stop(new OperationCanceledException(cancellationToken));
                break;
            }

            batch.Sending();
            try
            {
                producer.Produce(topic, message, reported);
            }
            catch (Exception exception) when (exception is KafkaException or ObjectDisposedException)
            {
                if (exception is KafkaException kafka)
                {
                    ReplaceIfFatal(producer, kafka.Error);
                }

                batch.Refused(exception);
            }
        }

        return batch.SealAsync();
    }

    /// <summary>Flushes outstanding records and releases the producer; once.</summary>
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

    // Off the caller's thread (a delivery report arrives on the client's poll thread, which Replace would dispose).
    private void ReplaceIfFatal(IClient producer, Error error)
    {
        if (error.IsFatal)
        {
            _ = Task.Run(() => Replace(producer, error.Reason), CancellationToken.None);
        }
    }

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "The output producer failed fatally ({Reason}) and was replaced by a new one; the records it failed are published again from the twins' outboxes")]
    private partial void LogProducerReplaced(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert and aggregate producer error {Code}: {Reason}")]
    private partial void LogProducerError(string code, string reason);
}
