using DeviceTwins.Streaming.Kafka.Hosting;
using Orleans.Streams;

namespace DeviceTwins.Streaming.Kafka.Providers;

/// <summary>Creates one <see cref="KafkaQueueCache"/> per queue (partition).</summary>
public sealed class KafkaQueueAdapterCache(KafkaStreamingOptions options) : IQueueAdapterCache
{
    public IQueueCache CreateQueueCache(QueueId queueId) => new KafkaQueueCache(options.CacheCapacity, options.MaxRecordsPerRead);
}
