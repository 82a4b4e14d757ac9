using Confluent.Kafka;

namespace DeviceTwins.FaultCampaign.Checks;

/// <summary>
/// Compares the platform's committed offsets with the telemetry partitions' ends. By the platform's commit policy a
/// committed offset is behind durable twin state, so "committed reached the end taken at T" means every record produced
/// before T is durably applied.
/// </summary>
internal sealed class CommitProbe : IDisposable
{
    private readonly IConsumer<byte[], byte[]> _consumer;
    private readonly List<TopicPartition> _partitions;

    public CommitProbe(string bootstrapServers, string topic, int partitions, string consumerGroup = "devicetwins")
    {
        // Never subscribes or commits: it only reads the group's committed offsets and the watermarks.
        _consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = consumerGroup,
            EnableAutoCommit = false,
        }).Build();
        _partitions = Enumerable.Range(0, partitions).Select(p => new TopicPartition(topic, p)).ToList();
    }

    /// <summary>Each partition's high watermark now; retried while a broker is unreachable.</summary>
    public async Task<IReadOnlyDictionary<int, long>> EndsAsync(CancellationToken cancellation)
    {
        while (true)
        {
            try
            {
                return _partitions.ToDictionary(tp => tp.Partition.Value, tp => _consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(5)).High.Value);
            }
            catch (KafkaException)
            {
                await Task.Delay(200, cancellation).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Waits until the group has committed at least <paramref name="ends"/> on every partition; returns when, or null at the deadline.</summary>
    public async Task<DateTime?> WaitCommittedAsync(IReadOnlyDictionary<int, long> ends, TimeSpan timeout, CancellationToken cancellation)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var committed = _consumer.Committed(_partitions, TimeSpan.FromSeconds(5));
                if (committed.All(c => ends[c.Partition.Value] == 0 || c.Offset.Value >= ends[c.Partition.Value]))
                {
                    return DateTime.UtcNow;
                }
            }
            catch (KafkaException)
            {
                // The coordinator is unreachable (a broker is down): ask again.
            }

            await Task.Delay(100, cancellation).ConfigureAwait(false);
        }

        return null;
    }

    public void Dispose() => _consumer.Dispose();
}
