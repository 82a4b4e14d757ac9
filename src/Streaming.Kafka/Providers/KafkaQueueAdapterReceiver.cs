using System.Diagnostics;
using Confluent.Kafka;
using ErrorCode = Confluent.Kafka.ErrorCode;
using DeviceTwins.Streaming.Kafka.Hosting;
using DeviceTwins.Streaming.Kafka.Publishing;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace DeviceTwins.Streaming.Kafka.Providers;

/// <summary>
/// Reads one Kafka partition with a manually assigned consumer. Each read groups the records of every stream
/// into one batch; rejected records go to the dead-letter topic before the read is handed on. Offsets are
/// stored (and auto-committed) only past reads whose batches were all delivered, that is purged from the cache.
/// Blocking librdkafka calls run off the pulling agent's turn.
/// </summary>
public sealed partial class KafkaQueueAdapterReceiver : IQueueAdapterReceiver
{
    private static readonly IList<IBatchContainer> Empty = Array.Empty<IBatchContainer>();
    private readonly TopicPartition _partition;
    private readonly KafkaStreamingOptions _options;
    private readonly IKafkaRecordMapper _mapper;
    private readonly KafkaDeadLetterPublisher _deadLetters;
    private readonly ILogger _logger;
    private readonly OffsetCommitTracker _commits = new();
    private readonly List<IBatchContainer> _purged = [];
    private readonly KafkaStreamingMetrics _metrics;
    private IConsumer<byte[]?, byte[]?>? _consumer;
    private Action? _onShutdown;
    private long? _committable;
    private long? _startOffset; // where reading began (the group's committed offset), until the first record is read

    public KafkaQueueAdapterReceiver(
        TopicPartition partition,
        KafkaStreamingOptions options,
        IKafkaRecordMapper mapper,
        KafkaDeadLetterPublisher deadLetters,
        KafkaStreamingMetrics metrics,
        ILogger<KafkaQueueAdapterReceiver> logger,
        Action? onShutdown = null)
    {
        _onShutdown = onShutdown;
        _partition = partition;
        _options = options;
        _mapper = mapper;
        _deadLetters = deadLetters;
        _metrics = metrics;
        _logger = logger;
        Tags = new TagList { { "topic", partition.Topic }, { "partition", partition.Partition.Value } };
    }

    /// <summary>
    /// Whether every record of the partition up to its high watermark (as the consumer last heard it) has been read and
    /// delivered: the consumer's position has reached the watermark and no read is waiting for its deliveries.
    /// </summary>
    internal bool IsCaughtUp
    {
        get
        {
            if (_consumer is not { } consumer || _commits.PendingReads > 0)
            {
                return false;
            }

            try
            {
                var high = consumer.GetWatermarkOffsets(_partition).High;
                if (high == Offset.Unset)
                {
                    return false;
                }

                // Before the first record is read the position is unset: then reading starts at the committed offset.
                var position = consumer.Position(_partition);
                var next = position != Offset.Unset ? position.Value : _startOffset ??= StartOffset(consumer);
                return next >= high.Value;
            }
            catch (Exception exception) when (exception is ObjectDisposedException or KafkaException)
            {
                return false;
            }
        }
    }

    /// <summary>Metric tags naming this receiver's topic and partition.</summary>
    internal TagList Tags { get; }

    /// <summary>Records of this partition not yet committable: high watermark (as last seen by the consumer) minus the committable offset.</summary>
    internal long? Lag()
    {
        if (_consumer is not { } consumer)
        {
            return null;
        }

        Offset high;
        try
        {
            high = consumer.GetWatermarkOffsets(_partition).High;
        }
        catch (ObjectDisposedException)
        {
            // Shut down while the metric was being observed.
            return null;
        }

        if (high == Offset.Unset)
        {
            return null;
        }

        return Math.Max(0, high.Value - (_committable ?? 0));
    }

    /// <summary>The partition this receiver reads.</summary>
    public TopicPartition Partition => _partition;

    public Task Initialize(TimeSpan timeout) => Task.Run(EnsureConsumer);

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount) => GetQueueMessagesAsync(maxCount, CancellationToken.None);

    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount, CancellationToken cancellationToken)
    {
        var limit = maxCount < 0 ? _options.MaxRecordsPerRead : Math.Min(maxCount, _options.MaxRecordsPerRead);
        if (limit == 0)
        {
            return Empty;
        }

        var read = await Task.Run(() => Read(limit, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (read.RecordCount == 0)
        {
            return Empty;
        }

        _metrics.RecordsRead(this, read.RecordCount);
        if (read.Rejected.Count > 0)
        {
            try
            {
                await _deadLetters.PublishAsync(read.Rejected, cancellationToken).ConfigureAwait(false);
                _metrics.DeadLettered(this, read.Rejected.Count);
            }
            catch (Exception exception) when (exception is KafkaStreamingException or OperationCanceledException)
            {
                // Nothing of this read is handed on: rewind so the next read takes it again.
                _consumer?.Seek(new TopicPartitionOffset(_partition, new Offset(read.FirstOffset)));
                throw;
            }
        }

        var tracked = _commits.Begin(read.LastOffset, read.Batches.Count);
        foreach (var batch in read.Batches)
        {
            ((KafkaBatchContainer)batch).Read = tracked;
        }

        if (read.Batches.Count == 0)
        {
            StoreCommittableOffset();
        }

        return read.Batches;
    }

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => MessagesDeliveredAsync(messages, CancellationToken.None);

    public async Task MessagesDeliveredAsync(IList<IBatchContainer> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);

        // Batches whose dead-lettering failed last time are retried first; their offsets stay uncommitted until then.
        _purged.AddRange(messages);
        List<DeadLetterRecord>? failed = null;
        foreach (var message in _purged)
        {
            if (message is KafkaBatchContainer { DeliveryFailed: true } batch)
            {
                failed ??= [];
                AddDeadLetters(batch, failed);
            }
        }

        if (failed is not null)
        {
            await _deadLetters.PublishAsync(failed, cancellationToken).ConfigureAwait(false);
            _metrics.DeadLettered(this, failed.Count);
        }

        _metrics.BatchesDelivered(this, _purged.Count);
        foreach (var message in _purged)
        {
            if (message is KafkaBatchContainer { Read: { } read })
            {
                _commits.Complete(read);
            }
        }

        _purged.Clear();
        StoreCommittableOffset();
    }

    public Task Shutdown(TimeSpan timeout) => Task.Run(() =>
    {
        // The pulling agent stopped reading and purging: its cache's records leave the silo-wide budgets.
        Interlocked.Exchange(ref _onShutdown, null)?.Invoke();
        var consumer = _consumer;
        if (consumer is null)
        {
            return;
        }

        _consumer = null;
        _metrics.Untrack(this);
        try
        {
            consumer.Commit();
            LogCommittedOnShutdown(_partition.Topic, _partition.Partition.Value, _commits.CommittableOffset ?? -1);
        }
        catch (KafkaException exception) when (exception.Error.Code == ErrorCode.Local_NoOffset)
        {
            // Nothing was stored since the periodic commit, which took every stored offset already.
            LogAlreadyCommittedOnShutdown(_partition.Topic, _partition.Partition.Value, _commits.CommittableOffset ?? -1);
        }
        catch (KafkaException exception)
        {
            _metrics.CommitFailed(this);
            LogCommitFailed(exception, _partition.Topic, _partition.Partition.Value);
        }
        finally
        {
            consumer.Close();
            consumer.Dispose();
        }
    });

    private void AddDeadLetters(KafkaBatchContainer batch, List<DeadLetterRecord> target)
    {
        for (var i = 0; i < batch.Offsets.Length; i++)
        {
            target.Add(new DeadLetterRecord(_partition.Topic, _partition.Partition.Value, batch.Offsets[i], batch.RawKey, batch.RawValues?[i], DateTimeOffset.UtcNow,
                $"delivery to stream {batch.StreamId} failed after the pulling agent's retries"));
        }
    }

    // The group's committed offset of the partition, or its start when the group has none (reads begin at the earliest).
    private long StartOffset(IConsumer<byte[]?, byte[]?> consumer)
    {
        var committed = consumer.Committed([_partition], TimeSpan.FromSeconds(5)).Single().Offset;
        return committed != Offset.Unset ? committed.Value : consumer.GetWatermarkOffsets(_partition).Low.Value;
    }

    private void StoreCommittableOffset()
    {
        if (_commits.TryAdvance(out var next) && _consumer is { } consumer)
        {
            consumer.StoreOffset(new TopicPartitionOffset(_partition, new Offset(next)));
            _committable = next;
        }
    }

    private IConsumer<byte[]?, byte[]?> EnsureConsumer()
    {
        if (_consumer is { } existing)
        {
            return existing;
        }

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
            ClientId = $"devicetwins-{_partition.Topic}-{_partition.Partition.Value}",
        };
        var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config)
            .SetErrorHandler((_, error) => LogConsumerError(_partition.Topic, _partition.Partition.Value, error.Code.ToString(), error.Reason))
            .SetLogHandler((_, _) => { })
            .SetOffsetsCommittedHandler((_, committed) => OnCommitted(committed))
            .Build();
        consumer.Assign(new TopicPartitionOffset(_partition, Offset.Stored));
        _consumer = consumer;
        _metrics.Track(this);
        LogAssigned(_partition.Topic, _partition.Partition.Value);
        return consumer;
    }

    private void OnCommitted(CommittedOffsets committed)
    {
        if (committed.Error.IsError || committed.Offsets.Any(o => o.Error.IsError))
        {
            _metrics.CommitFailed(this);
            LogAutoCommitFailed(_partition.Topic, _partition.Partition.Value, committed.Error.IsError ? committed.Error.Reason : committed.Offsets.First(o => o.Error.IsError).Error.Reason);
        }
    }

    private PartitionRead Read(int limit, CancellationToken cancellationToken)
    {
        var consumer = EnsureConsumer();
        var result = new PartitionRead();
        Dictionary<StreamId, KafkaBatchBuilder>? groups = null;
        while (result.RecordCount < limit && !cancellationToken.IsCancellationRequested)
        {
            ConsumeResult<byte[]?, byte[]?>? consumed;
            try
            {
                consumed = consumer.Consume(TimeSpan.Zero);
            }
            catch (ConsumeException exception) when (result.RecordCount > 0)
            {
                // Hand on what this read already took (it is no longer in librdkafka's queue); the next read meets the error again.
                LogConsumeFailed(exception, _partition.Topic, _partition.Partition.Value);
                break;
            }
            catch (ConsumeException exception)
            {
                throw new KafkaStreamingException("Consume failed", _partition.Topic, _partition.Partition.Value, exception.ConsumerRecord?.Offset.Value ?? -1, exception);
            }

            if (consumed is null)
            {
                break;
            }

            if (consumed.IsPartitionEOF)
            {
                continue;
            }

            if (result.RecordCount++ == 0)
            {
                result.FirstOffset = consumed.Offset.Value;
            }

            result.LastOffset = consumed.Offset.Value;
            var message = consumed.Message;
            var mapping = Map(consumed, message);
            if (!mapping.IsAccepted)
            {
                result.Rejected.Add(new DeadLetterRecord(_partition.Topic, _partition.Partition.Value, consumed.Offset.Value, message.Key, message.Value, message.Timestamp.UtcDateTime, mapping.Rejection!));
                continue;
            }

            groups ??= [];
            if (!groups.TryGetValue(mapping.StreamId, out var group))
            {
                group = new KafkaBatchBuilder(mapping.StreamId, message.Key);
                groups.Add(mapping.StreamId, group);
                result.Builders.Add(group);
            }

            group.Add(mapping.Event!, consumed.Offset.Value, message.Value);
        }

        foreach (var builder in result.Builders)
        {
            result.Batches.Add(builder.Build());
        }

        return result;
    }

    private KafkaRecordMapping Map(ConsumeResult<byte[]?, byte[]?> consumed, Message<byte[]?, byte[]?> message)
    {
        try
        {
            var record = new KafkaRecord(_partition.Topic, _partition.Partition.Value, consumed.Offset.Value, message.Key, message.Value, message.Timestamp.UtcDateTime, message.Key is not null, KafkaTracing.Receive(message.Headers, _partition.Topic, _partition.Partition.Value, consumed.Offset.Value));
            return _mapper.Map(record);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            return KafkaRecordMapping.Reject($"mapper failed: {exception.GetType().Name}: {exception.Message}");
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Assigned {Topic}[{Partition}] from its committed offset")]
    private partial void LogAssigned(string topic, int partition);

    [LoggerMessage(Level = LogLevel.Information, Message = "Committed {Topic}[{Partition}] up to offset {Offset} on shutdown")]
    private partial void LogCommittedOnShutdown(string topic, int partition, long offset);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Topic}[{Partition}] was already committed up to offset {Offset} on shutdown")]
    private partial void LogAlreadyCommittedOnShutdown(string topic, int partition, long offset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Commit of {Topic}[{Partition}] on shutdown failed")]
    private partial void LogCommitFailed(Exception exception, string topic, int partition);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Consume of {Topic}[{Partition}] failed after part of a read; the part read is handed on")]
    private partial void LogConsumeFailed(Exception exception, string topic, int partition);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Offset commit of {Topic}[{Partition}] failed: {Reason}")]
    private partial void LogAutoCommitFailed(string topic, int partition, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Consumer of {Topic}[{Partition}] reported {Code}: {Reason}")]
    private partial void LogConsumerError(string topic, int partition, string code, string reason);
}
