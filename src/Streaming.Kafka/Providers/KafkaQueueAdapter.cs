using Confluent.Kafka;
using DeviceTwins.Streaming.Kafka.Hosting;
using DeviceTwins.Streaming.Kafka.Publishing;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace DeviceTwins.Streaming.Kafka.Providers;

/// <summary>
/// A read-only queue adapter: Kafka topics are written by devices and gateways, not through Orleans streams.
/// Each queue is one topic partition, read by its own <see cref="KafkaQueueAdapterReceiver"/>.
/// </summary>
public sealed class KafkaQueueAdapter(
    string name,
    KafkaStreamingOptions options,
    KafkaPartitionQueueMapper mapper,
    IKafkaRecordMapper recordMapper,
    KafkaDeadLetterPublisher deadLetters,
    KafkaStreamingMetrics metrics,
    KafkaQueueAdapterCache caches,
    ILoggerFactory loggerFactory) : IQueueAdapter
{
    public string Name => name;

    public bool IsRewindable => false;

    public StreamProviderDirection Direction => StreamProviderDirection.ReadOnly;

    public Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext) =>
        throw new NotSupportedException($"Stream provider '{name}' is read-only: produce records to its Kafka topics instead.");

    public IQueueAdapterReceiver CreateReceiver(QueueId queueId)
    {
        TopicPartition partition = mapper.GetPartition(queueId);
        return new KafkaQueueAdapterReceiver(partition, options, recordMapper, deadLetters, metrics, loggerFactory.CreateLogger<KafkaQueueAdapterReceiver>(),
            onShutdown: () => caches.ReleaseQueue(queueId));
    }
}
