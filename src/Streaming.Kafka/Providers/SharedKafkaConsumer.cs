using Confluent.Kafka;
using DeviceTwins.Streaming.Kafka.Hosting;
using Microsoft.Extensions.Logging;

namespace DeviceTwins.Streaming.Kafka.Providers;

/// <summary>
/// One Kafka consumer for every partition a provider reads in this process. Each partition's receiver takes its own
/// records; whichever receiver polls routes the records of the other partitions into their buffers, and a partition whose
/// buffer is full is paused until its receiver drains it. One client instead of one per partition means one fetch
/// request per broker instead of one per partition, and one prefetch queue (see the README's Kafka intake section).
/// Every call on the client is made under one lock.
/// </summary>
public sealed partial class SharedKafkaConsumer : IDisposable
{
    private readonly Lock _lock = new();
    private readonly KafkaStreamingOptions _options;
    private readonly string _clientId;
    private readonly ILogger _logger;
    private readonly Dictionary<TopicPartition, SharedPartitionBuffer> _partitions = [];
    private readonly long _bufferBytes;
    private IConsumer<byte[]?, byte[]?>? _consumer;

    /// <summary>Creates the consumer of <paramref name="options"/>, named <paramref name="clientId"/>; the client is built on the first attach.</summary>
    public SharedKafkaConsumer(KafkaStreamingOptions options, string clientId, ILogger<SharedKafkaConsumer> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _clientId = clientId;
        _logger = logger;
        _bufferBytes = (long)options.MaxPrefetchKilobytes * 1024;
    }

    /// <summary>Partitions attached now.</summary>
    public int PartitionCount
    {
        get
        {
            lock (_lock)
            {
                return _partitions.Count;
            }
        }
    }

    /// <summary>Starts reading <paramref name="partition"/> from the group's committed offset; <paramref name="onCommitFailed"/> hears its failed commits.</summary>
    public void Attach(TopicPartition partition, Action<string> onCommitFailed)
    {
        ArgumentNullException.ThrowIfNull(partition);
        lock (_lock)
        {
            if (_partitions.ContainsKey(partition))
            {
                return;
            }

            var consumer = _consumer ??= Build();
            _partitions.Add(partition, new SharedPartitionBuffer(onCommitFailed));
            consumer.IncrementalAssign([new TopicPartitionOffset(partition, Offset.Stored)]);
        }
    }

    /// <summary>
    /// Stops reading <paramref name="partition"/>; when <paramref name="commit"/>, first commits every stored offset (its
    /// own among them), throwing librdkafka's error, <c>Local_NoOffset</c> when the periodic commit already took them all.
    /// Closes the client when it was the last partition.
    /// </summary>
    public void Detach(TopicPartition partition, bool commit)
    {
        lock (_lock)
        {
            if (_consumer is not { } consumer || !_partitions.Remove(partition))
            {
                return;
            }

            try
            {
                if (commit)
                {
                    consumer.Commit();
                }
            }
            finally
            {
                if (_partitions.Count == 0)
                {
                    _consumer = null;
                    consumer.Close();
                    consumer.Dispose();
                }
                else
                {
                    consumer.IncrementalUnassign([partition]);
                }
            }
        }
    }

    /// <summary>
    /// Takes up to <paramref name="limit"/> records of <paramref name="partition"/> into <paramref name="into"/>, first those
    /// buffered, then from the client (buffering the other partitions' records it meets). A consume error of this partition
    /// is thrown once the records before it are taken.
    /// </summary>
    public void Take(TopicPartition partition, int limit, List<ConsumeResult<byte[]?, byte[]?>> into, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(into);
        lock (_lock)
        {
            if (_consumer is not { } consumer || !_partitions.TryGetValue(partition, out var own))
            {
                throw new ObjectDisposedException(nameof(SharedKafkaConsumer), $"{partition} is not attached.");
            }

            while (into.Count < limit && own.Records.TryDequeue(out var buffered))
            {
                own.Bytes -= SizeOf(buffered);
                into.Add(buffered);
            }

            if (own.Error is { } pending && own.Records.Count == 0)
            {
                // Met while another partition's receiver polled: the records before it are handed on first.
                if (into.Count > 0)
                {
                    return;
                }

                own.Error = null;
                throw pending;
            }

            while (into.Count < limit && !cancellationToken.IsCancellationRequested)
            {
                ConsumeResult<byte[]?, byte[]?>? consumed;
                try
                {
                    consumed = consumer.Consume(TimeSpan.Zero);
                }
                catch (ConsumeException exception)
                {
                    var failed = exception.ConsumerRecord?.TopicPartition;
                    if (failed is not null && !failed.Equals(partition) && _partitions.TryGetValue(failed, out var other))
                    {
                        other.Error ??= exception;
                        continue;
                    }

                    if (into.Count == 0)
                    {
                        throw;
                    }

                    // Hand on what this read already took; the next read meets the error.
                    own.Error = exception;
                    break;
                }

                if (consumed is null)
                {
                    break;
                }

                if (consumed.IsPartitionEOF)
                {
                    continue;
                }

                if (consumed.TopicPartition.Equals(partition))
                {
                    into.Add(consumed);
                }
                else if (_partitions.TryGetValue(consumed.TopicPartition, out var target))
                {
                    target.Records.Enqueue(consumed);
                    target.Bytes += SizeOf(consumed);
                    if (!target.Paused && target.Bytes >= _bufferBytes)
                    {
                        consumer.Pause([consumed.TopicPartition]);
                        target.Paused = true;
                    }
                }
            }

            if (own.Paused && own.Bytes < _bufferBytes / 2)
            {
                consumer.Resume([partition]);
                own.Paused = false;
            }
        }
    }

    /// <summary>Forgets what is buffered of <paramref name="partition"/> and reads it again from <paramref name="offset"/>.</summary>
    public void Rewind(TopicPartition partition, long offset)
    {
        lock (_lock)
        {
            if (_consumer is not { } consumer || !_partitions.TryGetValue(partition, out var buffer))
            {
                return;
            }

            buffer.Records.Clear();
            buffer.Bytes = 0;
            buffer.Error = null;
            consumer.Seek(new TopicPartitionOffset(partition, new Offset(offset)));
            if (buffer.Paused)
            {
                consumer.Resume([partition]);
                buffer.Paused = false;
            }
        }
    }

    /// <summary>Marks <paramref name="offset"/> (the next to read) of <paramref name="partition"/> for the periodic commit.</summary>
    public void StoreOffset(TopicPartition partition, long offset)
    {
        lock (_lock)
        {
            if (_consumer is { } consumer && _partitions.ContainsKey(partition))
            {
                consumer.StoreOffset(new TopicPartitionOffset(partition, new Offset(offset)));
            }
        }
    }

    /// <summary>
    /// Where <paramref name="partition"/>'s next read starts, against its high watermark as the client last heard it:
    /// null when unknown (not attached, or no fetch answered yet).
    /// </summary>
    public (long Next, long High)? Progress(TopicPartition partition)
    {
        lock (_lock)
        {
            if (_consumer is not { } consumer || !_partitions.TryGetValue(partition, out var buffer))
            {
                return null;
            }

            var high = consumer.GetWatermarkOffsets(partition).High;
            if (high == Offset.Unset)
            {
                return null;
            }

            if (buffer.Records.TryPeek(out var first))
            {
                return (first.Offset.Value, high.Value);
            }

            // Before the first record is read the position is unset: then reading starts at the committed offset.
            var position = consumer.Position(partition);
            var next = position != Offset.Unset ? position.Value : buffer.StartOffset ??= StartOffset(consumer, partition);
            return (next, high.Value);
        }
    }

    /// <summary>The high watermark of <paramref name="partition"/> as the client last heard it, or null.</summary>
    public long? HighWatermark(TopicPartition partition)
    {
        lock (_lock)
        {
            if (_consumer is not { } consumer || !_partitions.ContainsKey(partition))
            {
                return null;
            }

            var high = consumer.GetWatermarkOffsets(partition).High;
            return high == Offset.Unset ? null : high.Value;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _partitions.Clear();
            if (_consumer is { } consumer)
            {
                _consumer = null;
                consumer.Close();
                consumer.Dispose();
            }
        }
    }

    // What a buffered record holds of the heap, roughly: its key, value and the objects around them.
    private static long SizeOf(ConsumeResult<byte[]?, byte[]?> record) =>
        (record.Message.Key?.Length ?? 0) + (record.Message.Value?.Length ?? 0) + 160;

    // The group's committed offset of the partition, or its start when the group has none (reads begin at the earliest).
    private long StartOffset(IConsumer<byte[]?, byte[]?> consumer, TopicPartition partition)
    {
        var committed = consumer.Committed([partition], TimeSpan.FromSeconds(5)).Single().Offset;
        return committed != Offset.Unset ? committed.Value : consumer.GetWatermarkOffsets(partition).Low.Value;
    }

    private IConsumer<byte[]?, byte[]?> Build()
    {
        var config = new ConsumerConfig(new Dictionary<string, string>(_options.ClientSettings))
        {
            BootstrapServers = _options.BootstrapServers,
            GroupId = _options.ConsumerGroup,
            EnableAutoCommit = true,
            AutoCommitIntervalMs = (int)_options.CommitInterval.TotalMilliseconds,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnablePartitionEof = false,
            QueuedMaxMessagesKbytes = _options.MaxPrefetchKilobytes,
            FetchQueueBackoffMs = 10,
            FetchWaitMaxMs = (int)_options.FetchWaitMax.TotalMilliseconds,
            AllowAutoCreateTopics = false,
            ClientId = _clientId,
        };
        return new ConsumerBuilder<byte[]?, byte[]?>(config)
            .SetErrorHandler((_, error) => LogConsumerError(_clientId, error.Code.ToString(), error.Reason))
            .SetLogHandler((_, _) => { })
            .SetOffsetsCommittedHandler((_, committed) => OnCommitted(committed))
            .Build();
    }

    // Runs on the client's poll, that is inside Take's lock (or a commit's): the buffers are safe to touch.
    private void OnCommitted(CommittedOffsets committed)
    {
        foreach (var offset in committed.Offsets)
        {
            if (!_partitions.TryGetValue(offset.TopicPartition, out var buffer))
            {
                continue;
            }

            if (committed.Error.IsError || offset.Error.IsError)
            {
                buffer.OnCommitFailed(committed.Error.IsError ? committed.Error.Reason : offset.Error.Reason);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka consumer {ClientId} reported {Code}: {Reason}")]
    private partial void LogConsumerError(string clientId, string code, string reason);

}
