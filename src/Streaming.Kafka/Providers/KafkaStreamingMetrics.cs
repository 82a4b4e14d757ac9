using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace DeviceTwins.Streaming.Kafka.Providers;

/// <summary>
/// The provider's instruments (meter "DeviceTwins.Streaming.Kafka"): records read, batches delivered, records
/// dead-lettered and commit failures per topic and partition, and the consumer lag of every partition this
/// process reads (high watermark minus the committable offset: records not yet durably applied).
/// </summary>
public sealed class KafkaStreamingMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "DeviceTwins.Streaming.Kafka";

    private readonly Counter<long> _recordsRead;
    private readonly Counter<long> _batchesDelivered;
    private readonly Counter<long> _deadLettered;
    private readonly Counter<long> _commitFailures;
    private readonly ConcurrentDictionary<KafkaQueueAdapterReceiver, byte> _receivers = new();
    private volatile int _totalPartitions;

    public KafkaStreamingMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _recordsRead = meter.CreateCounter<long>("devicetwins.kafka.records_read", "{record}", "Records read from Kafka");
        _batchesDelivered = meter.CreateCounter<long>("devicetwins.kafka.batches_delivered", "{batch}", "Per-device batches whose delivery completed");
        _deadLettered = meter.CreateCounter<long>("devicetwins.kafka.records_dead_lettered", "{record}", "Records written to the dead-letter topic");
        _commitFailures = meter.CreateCounter<long>("devicetwins.kafka.commit_failures", "{commit}", "Offset commits that failed");
        meter.CreateObservableGauge("devicetwins.kafka.consumer_lag", ObserveLag, "{record}", "Records of a partition not yet durably applied and committed");
    }

    internal void RecordsRead(KafkaQueueAdapterReceiver receiver, int count) => _recordsRead.Add(count, receiver.Tags);

    internal void BatchesDelivered(KafkaQueueAdapterReceiver receiver, int count) => _batchesDelivered.Add(count, receiver.Tags);

    internal void DeadLettered(KafkaQueueAdapterReceiver receiver, int count) => _deadLettered.Add(count, receiver.Tags);

    internal void CommitFailed(KafkaQueueAdapterReceiver receiver) => _commitFailures.Add(1, receiver.Tags);

    /// <summary>
    /// The partitions read here and how many of them are caught up (their end found, everything before it delivered),
    /// of all the provider's partitions: what a process needs to tell whether a silence is the devices' or the intake's.
    /// </summary>
    public KafkaIntakeStatus IntakeStatus()
    {
        int reading = 0, caughtUp = 0;
        foreach (var receiver in _receivers.Keys)
        {
            reading++;
            if (receiver.IsCaughtUp)
            {
                caughtUp++;
            }
        }

        return new KafkaIntakeStatus(caughtUp, reading, _totalPartitions);
    }

    internal void PartitionsKnown(int total) => _totalPartitions = total;

    internal void Track(KafkaQueueAdapterReceiver receiver) => _receivers.TryAdd(receiver, 0);

    internal void Untrack(KafkaQueueAdapterReceiver receiver) => _receivers.TryRemove(receiver, out _);

    /// <summary>The consumer lag summed over the partitions read here whose lag is known.</summary>
    public long TotalLag() => ObserveLag().Sum(m => m.Value);

    private IEnumerable<Measurement<long>> ObserveLag()
    {
        foreach (var receiver in _receivers.Keys)
        {
            if (receiver.Lag() is { } lag)
            {
                yield return new Measurement<long>(lag, receiver.Tags);
            }
        }
    }
}
