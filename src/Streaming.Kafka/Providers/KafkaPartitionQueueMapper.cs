using System.Globalization;
using Confluent.Kafka;
using Orleans.Streams;

namespace DeviceTwins.Streaming.Kafka.Providers;

/// <summary>Maps every partition of the configured topics to one Orleans queue on the consistent ring, and back.</summary>
public sealed class KafkaPartitionQueueMapper
{
    private KafkaPartitionQueueMapper(IReadOnlyList<string> partitionIds, string providerName)
    {
        PartitionIds = partitionIds;
        QueueMapper = new HashRingBasedPartitionedStreamQueueMapper(partitionIds, providerName);
    }

    /// <summary>The partition ids ("topic:partition"), one per queue.</summary>
    public IReadOnlyList<string> PartitionIds { get; }

    /// <summary>The ring-based mapper handed to Orleans (the consistent-ring balancer requires one).</summary>
    public HashRingBasedPartitionedStreamQueueMapper QueueMapper { get; }

    /// <summary>Builds the mapper from each topic's partition count.</summary>
    public static KafkaPartitionQueueMapper Create(string providerName, IEnumerable<(string Topic, int Partitions)> topics)
    {
        ArgumentNullException.ThrowIfNull(topics);
        var ids = topics
            .SelectMany(t => Enumerable.Range(0, t.Partitions).Select(p => FormatId(t.Topic, p)))
            .ToArray();
        if (ids.Length == 0)
        {
            throw new KafkaStreamingException($"Stream provider '{providerName}' has no partitions to read.");
        }

        return new KafkaPartitionQueueMapper(ids, providerName);
    }

    /// <summary>The topic partition a queue reads.</summary>
    public TopicPartition GetPartition(QueueId queueId) => ParseId(QueueMapper.QueueToPartition(queueId));

    /// <summary>Parses a "topic:partition" id.</summary>
    public static TopicPartition ParseId(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        var separator = id.LastIndexOf(':');
        return new TopicPartition(id[..separator], new Partition(int.Parse(id.AsSpan(separator + 1), CultureInfo.InvariantCulture)));
    }

    private static string FormatId(string topic, int partition) => string.Create(CultureInfo.InvariantCulture, $"{topic}:{partition}");
}
