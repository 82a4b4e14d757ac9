using System.Globalization;
using System.Text;
using Confluent.Kafka;
using ErrorCode = Confluent.Kafka.ErrorCode;
using DeviceTwins.Streaming.Kafka.Hosting;
using Microsoft.Extensions.Logging;

namespace DeviceTwins.Streaming.Kafka.Publishing;

/// <summary>
/// Writes rejected records to the dead-letter topic with their original key and value and the reason in
/// headers. One idempotent producer per provider; a publish completes only when the broker acknowledged it.
/// </summary>
public sealed partial class KafkaDeadLetterPublisher : IDisposable
{
    /// <summary>
    /// The producer's message.max.bytes: key, value, headers and framing of one dead-letter record. A record whose copy
    /// would exceed it is dead-lettered without its value, so it cannot block its partition.
    /// </summary>
    public const int MaxMessageBytes = 4 * 1024 * 1024;

    private readonly IProducer<byte[]?, byte[]?> _producer;
    private readonly string _topic;
    private readonly TimeSpan _timeout;
    private readonly ILogger _logger;
    private long _published;

    public KafkaDeadLetterPublisher(KafkaStreamingOptions options, ILogger<KafkaDeadLetterPublisher> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _topic = options.DeadLetterTopic;
        _timeout = options.OperationTimeout;
        _logger = logger;
        var config = new ProducerConfig(new Dictionary<string, string>(options.ClientSettings))
        {
            BootstrapServers = options.BootstrapServers,
            EnableIdempotence = true,
            Acks = Acks.All,
            LingerMs = 5,
            CompressionType = CompressionType.Snappy,
            MessageMaxBytes = MaxMessageBytes,
            AllowAutoCreateTopics = false,
        };
        _producer = new ProducerBuilder<byte[]?, byte[]?>(config)
            .SetErrorHandler((_, error) => LogProducerError(error.Code.ToString(), error.Reason))
            .SetLogHandler((_, _) => { })
            .Build();
    }

    /// <summary>Records dead-lettered by this publisher since start.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Publishes the records and waits for every acknowledgement.</summary>
    public async Task PublishAsync(IReadOnlyCollection<DeadLetterRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        var pending = new List<Task>(records.Count);
        var sample = records.First();
        LogDeadLettering(records.Count, sample.Topic, sample.Partition, sample.Offset, sample.Reason);
        foreach (var record in records)
        {
            LogDeadLettered(record.Topic, record.Partition, record.Offset, record.Reason);
            pending.Add(ProduceAsync(record, timeout.Token));
        }

        try
        {
            await Task.WhenAll(pending).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is ProduceException<byte[]?, byte[]?> or OperationCanceledException)
        {
            var first = records.First();
            throw new KafkaStreamingException($"Could not write {records.Count} record(s) to dead-letter topic '{_topic}'", first.Topic, first.Partition, first.Offset, exception);
        }

        Interlocked.Add(ref _published, records.Count);
    }

    /// <summary>Flushes outstanding records and releases the producer.</summary>
    public void Dispose()
    {
        _producer.Flush(_timeout);
        _producer.Dispose();
    }

    private async Task ProduceAsync(DeadLetterRecord record, CancellationToken cancellationToken)
    {
        try
        {
            await _producer.ProduceAsync(_topic, ToMessage(record), cancellationToken).ConfigureAwait(false);
        }
        catch (ProduceException<byte[]?, byte[]?> exception) when (exception.Error.Code == ErrorCode.MsgSizeTooLarge && record.Value is { Length: > 0 } value)
        {
            // Retrying could never succeed: keep the key, the origin and the reason, and say why the value is missing.
            LogValueNotKept(record.Topic, record.Partition, record.Offset, value.Length);
            var withoutValue = record with
            {
                Value = null,
                Reason = $"{record.Reason}; value of {value.Length} bytes not kept: the dead-letter record would exceed {MaxMessageBytes} bytes",
            };
            await _producer.ProduceAsync(_topic, ToMessage(withoutValue), cancellationToken).ConfigureAwait(false);
        }
    }

    private static Message<byte[]?, byte[]?> ToMessage(DeadLetterRecord record) => new()
    {
        Key = record.Key,
        Value = record.Value,
        Headers = new Headers
        {
            { DeadLetterHeaders.Reason, Encoding.UTF8.GetBytes(record.Reason) },
            { DeadLetterHeaders.Topic, Encoding.UTF8.GetBytes(record.Topic) },
            { DeadLetterHeaders.Partition, Encoding.UTF8.GetBytes(record.Partition.ToString(CultureInfo.InvariantCulture)) },
            { DeadLetterHeaders.Offset, Encoding.UTF8.GetBytes(record.Offset.ToString(CultureInfo.InvariantCulture)) },
            { DeadLetterHeaders.Timestamp, Encoding.UTF8.GetBytes(record.Timestamp.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)) },
        },
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dead-lettering {Count} record(s), first {Topic}[{Partition}]@{Offset}: {Reason}")]
    private partial void LogDeadLettering(int count, string topic, int partition, long offset, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Dead-lettering {Topic}[{Partition}]@{Offset}: {Reason}")]
    private partial void LogDeadLettered(string topic, int partition, long offset, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dead-lettering {Topic}[{Partition}]@{Offset} without its value of {Length} bytes: too large for the dead-letter topic")]
    private partial void LogValueNotKept(string topic, int partition, long offset, int length);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dead-letter producer error {Code}: {Reason}")]
    private partial void LogProducerError(string code, string reason);
}
