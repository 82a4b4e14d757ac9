using System.Collections.Concurrent;
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

    private readonly ConcurrentDictionary<QueueId, KafkaQueueCache> _caches = new();

    public IQueueCache CreateQueueCache(QueueId queueId)
    {
        var cache = new KafkaQueueCache(options.CacheCapacity, options.MaxRecordsPerRead, Budget, NewStreams);
        // A queue's pulling agent starts only after the one before it on this silo stopped.
        _caches.AddOrUpdate(queueId, cache, (_, previous) =>
        {
            previous.Release();
            return cache;
        });
        return cache;
    }

    /// <summary>
    /// Gives back the budgets held by the cache of <paramref name="queueId"/>: its pulling agent stopped and no longer
    /// purges it (its receiver is shutting down).
    /// </summary>
    public void ReleaseQueue(QueueId queueId)
    {
        if (_caches.TryRemove(queueId, out var cache))
        {
            cache.Release();
        }
    }
}
