using System.Diagnostics;
using Confluent.Kafka;
using ErrorCode = Confluent.Kafka.ErrorCode;
using DeviceTwins.Streaming.Kafka.Hosting;
using DeviceTwins.Streaming.Kafka.Publishing;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace DeviceTwins.Streaming.Kafka.Providers;

/// <summary>
/// Reads one Kafka partition through the provider's <see cref="SharedKafkaConsumer"/>. Each read groups the records of every stream
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
    private readonly SharedKafkaConsumer _consumer;
    private readonly List<ConsumeResult<byte[]?, byte[]?>> _taken = [];
    private bool _attached;
    private long? _committable;

    public KafkaQueueAdapterReceiver(
        TopicPartition partition,
        SharedKafkaConsumer consumer,
        KafkaStreamingOptions options,
        IKafkaRecordMapper mapper,
        KafkaDeadLetterPublisher deadLetters,
        KafkaStreamingMetrics metrics,
        ILogger<KafkaQueueAdapterReceiver> logger)
    {
        _partition = partition;
        _consumer = consumer;
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
            if (!_attached || _commits.PendingReads > 0)
            {
                return false;
            }

            try
            {
                return _consumer.Progress(_partition) is { } progress && progress.Next >= progress.High;
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
        if (!_attached)
        {
            return null;
        }

        long? high;
        try
        {
            high = _consumer.HighWatermark(_partition);
        }
        catch (ObjectDisposedException)
        {
            // Shut down while the metric was being observed.
            return null;
        }

        return high is { } h ? Math.Max(0, h - (_committable ?? 0)) : null;
    }

    /// <summary>The partition this receiver reads.</summary>
    public TopicPartition Partition => _partition;

    public Task Initialize(TimeSpan timeout) => Task.Run(Attach);

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
                _consumer.Rewind(_partition, read.FirstOffset);
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
        if (!_attached)
        {
            return;
        }

        _attached = false;
        _metrics.Untrack(this);
        try
        {
            _consumer.Detach(_partition, commit: true);
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
    });

    private void AddDeadLetters(KafkaBatchContainer batch, List<DeadLetterRecord> target)
    {
        for (var i = 0; i < batch.Offsets.Length; i++)
        {
            target.Add(new DeadLetterRecord(_partition.Topic, _partition.Partition.Value, batch.Offsets[i], batch.RawKey, batch.RawValues?[i], DateTimeOffset.UtcNow,
                $"delivery to stream {batch.StreamId} failed after the pulling agent's retries"));
        }
    }

    private void StoreCommittableOffset()
    {
        if (_commits.TryAdvance(out var next) && _attached)
        {
            _consumer.StoreOffset(_partition, next);
            _committable = next;
        }
    }

    private void Attach()
    {
        if (_attached)
        {
            return;
        }

        _consumer.Attach(_partition, OnCommitFailed);
        _attached = true;
        _metrics.Track(this);
        LogAssigned(_partition.Topic, _partition.Partition.Value);
    }

    private void OnCommitFailed(string reason)
    {
        _metrics.CommitFailed(this);
        LogAutoCommitFailed(_partition.Topic, _partition.Partition.Value, reason);
    }

    private PartitionRead Read(int limit, CancellationToken cancellationToken)
    {
        Attach();
        var result = new PartitionRead();
        Dictionary<StreamId, KafkaBatchBuilder>? groups = null;
        _taken.Clear();
        try
        {
            _consumer.Take(_partition, limit, _taken, cancellationToken);
        }
        catch (ConsumeException exception)
        {
            throw new KafkaStreamingException("Consume failed", _partition.Topic, _partition.Partition.Value, exception.ConsumerRecord?.Offset.Value ?? -1, exception);
        }

        foreach (var consumed in _taken)
        {
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

        _taken.Clear();
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Offset commit of {Topic}[{Partition}] failed: {Reason}")]
    private partial void LogAutoCommitFailed(string topic, int partition, string reason);

}
