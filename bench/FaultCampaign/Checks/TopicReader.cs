using Confluent.Kafka;

namespace DeviceTwins.FaultCampaign.Checks;

/// <summary>Reads a whole topic, every partition from its start to its end at the time of the call.</summary>
internal static class TopicReader
{
    public static async Task<IReadOnlyList<ConsumeResult<byte[]?, byte[]?>>> ReadAllAsync(string bootstrapServers, string topic, TimeSpan timeout)
    {
        return await Task.Run(() =>
        {
            using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
            {
                BootstrapServers = bootstrapServers,
                GroupId = "campaign-reader-" + Guid.NewGuid().ToString("N"),
                EnableAutoCommit = false,
                EnablePartitionEof = true,
                FetchMaxBytes = 64 * 1024 * 1024,
            }).Build();
            using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
            var partitions = admin.GetMetadata(topic, TimeSpan.FromSeconds(30)).Topics.Single().Partitions
                .Select(p => new TopicPartition(topic, p.PartitionId))
                .ToList();
            var ends = partitions.ToDictionary(tp => tp.Partition.Value, tp => consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(30)));
            var trimmed = ends.Where(e => e.Value.Low.Value > 0).Select(e => e.Key).ToList();
            if (trimmed.Count > 0)
            {
                throw new InvalidOperationException($"The embedded cluster trimmed {topic} partitions {string.Join(',', trimmed)} (5 MiB cap): the check cannot see every record.");
            }

            var pending = ends.Where(e => e.Value.High.Value > 0).Select(e => e.Key).ToHashSet();
            consumer.Assign(partitions.Where(tp => pending.Contains(tp.Partition.Value)).Select(tp => new TopicPartitionOffset(tp, Offset.Beginning)));
            var records = new List<ConsumeResult<byte[]?, byte[]?>>();
            var deadline = DateTime.UtcNow + timeout;
            while (pending.Count > 0)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"Reading {topic} did not reach the end of partitions {string.Join(',', pending)} in {timeout}.");
                }

                var result = consumer.Consume(TimeSpan.FromMilliseconds(500));
                if (result is null)
                {
                    continue;
                }

                if (!result.IsPartitionEOF)
                {
                    records.Add(result);
                }

                if (result.Offset.Value + (result.IsPartitionEOF ? 0 : 1) >= ends[result.Partition.Value].High.Value)
                {
                    pending.Remove(result.Partition.Value);
                }
            }

            return records;
        }).ConfigureAwait(false);
    }
}
