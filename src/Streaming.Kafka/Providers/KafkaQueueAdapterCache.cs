using DeviceTwins.Streaming.Kafka.Hosting;
using Orleans.Streams;

namespace DeviceTwins.Streaming.Kafka.Providers;

/// <summary>Creates one <see cref="KafkaQueueCache"/> per queue (partition), all within one silo-wide record budget.</summary>
public sealed class KafkaQueueAdapterCache(KafkaStreamingOptions options) : IQueueAdapterCache
{
    /// <summary>The records held by all this provider's queue caches in this silo.</summary>
    public RecordBudget Budget { get; } = new(options.SiloCacheCapacity);

    /// <summary>The streams new to this provider's queue caches in this silo whose first batch is not delivered yet.</summary>
    public NewStreamBudget NewStreams { get; } = new(options.SiloNewStreamCapacity);

    public IQueueCache CreateQueueCache(QueueId queueId) => new KafkaQueueCache(options.CacheCapacity, options.MaxRecordsPerRead, Budget, NewStreams);
}
