using System.Text;
using Confluent.Kafka;

using DeviceTwins.Testing;

namespace DeviceTwins.ClusterTests;

/// <summary>Reads an output topic with a real Kafka consumer, keeping the records of one key.</summary>
internal static class TopicReader
{
    /// <summary>
    /// Consumes partition 0 of <paramref name="topic"/> from the beginning until <paramref name="done"/> holds for the
    /// records keyed <paramref name="key"/> and the partition's end is reached, so a duplicate written before then is seen.
    /// </summary>
    public static async Task<IReadOnlyList<ConsumeResult<byte[]?, byte[]?>>> ReadKeyedAsync(
        string bootstrapServers, string topic, string key, Func<IReadOnlyList<ConsumeResult<byte[]?, byte[]?>>, bool> done)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "reader-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            EnablePartitionEof = true,
        }).Build();
        consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
        var mine = new List<ConsumeResult<byte[]?, byte[]?>>();
        var atEnd = false;
        return await Eventually.Until(
            () =>
            {
                atEnd = false;
                while (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { } result)
                {
                    if (result.IsPartitionEOF)
                    {
                        atEnd = true;
                        break;
                    }

                    if (result.Message.Key is { } k && Encoding.UTF8.GetString(k) == key)
                    {
                        mine.Add(result);
                    }
                }

                return Task.FromResult<IReadOnlyList<ConsumeResult<byte[]?, byte[]?>>>(mine);
            },
            records => atEnd && done(records),
            TimeSpan.FromSeconds(60),
            records => $"records of {key} on {topic}: {string.Join(" | ", records.Select(r => Encoding.UTF8.GetString(r.Message.Value ?? [])))}");
    }
}
