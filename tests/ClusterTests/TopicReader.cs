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
    public static Task<IReadOnlyList<ConsumeResult<byte[]?, byte[]?>>> ReadKeyedAsync(
        string bootstrapServers, string topic, string key, Func<IReadOnlyList<ConsumeResult<byte[]?, byte[]?>>, bool> done) =>
        ReadAsync(
            bootstrapServers,
            topic,
            result => result.Message.Key is { } k && Encoding.UTF8.GetString(k) == key,
            done,
            records => $"records of {key} on {topic}: {string.Join(" | ", records.Select(r => Encoding.UTF8.GetString(r.Message.Value ?? [])))}");

    /// <summary>As <see cref="ReadKeyedAsync(string, string, string, Func{IReadOnlyList{ConsumeResult{byte[], byte[]}}, bool})"/>, over partitions 0 to <paramref name="partitions"/> - 1.</summary>
    public static Task<IReadOnlyList<ConsumeResult<byte[]?, byte[]?>>> ReadKeyedAsync(
        string bootstrapServers, string topic, int partitions, string key, Func<IReadOnlyList<ConsumeResult<byte[]?, byte[]?>>, bool> done) =>
        ReadAsync(
            bootstrapServers,
            topic,
            result => result.Message.Key is { } k && Encoding.UTF8.GetString(k) == key,
            done,
            records => $"records of {key} on {topic}: {string.Join(" | ", records.Select(r => Encoding.UTF8.GetString(r.Message.Value ?? [])))}",
            partitions);

    /// <summary>
    /// Consumes partitions 0 to <paramref name="partitions"/> - 1 of <paramref name="topic"/> from the beginning, keeping the
    /// records <paramref name="keep"/> selects, until <paramref name="done"/> holds for them and every partition's end is reached.
    /// </summary>
    public static async Task<IReadOnlyList<ConsumeResult<byte[]?, byte[]?>>> ReadAsync(
        string bootstrapServers,
        string topic,
        Func<ConsumeResult<byte[]?, byte[]?>, bool> keep,
        Func<IReadOnlyList<ConsumeResult<byte[]?, byte[]?>>, bool> done,
        Func<IReadOnlyList<ConsumeResult<byte[]?, byte[]?>>, string> describe,
        int partitions = 1)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "reader-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            EnablePartitionEof = true,
        }).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var kept = new List<ConsumeResult<byte[]?, byte[]?>>();
        var ended = new HashSet<int>();
        var atEnd = false;
        return await Eventually.Until(
            () =>
            {
                atEnd = false;
                while (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { } result)
                {
                    if (result.IsPartitionEOF)
                    {
                        ended.Add(result.Partition.Value);
                        if (ended.Count == partitions)
                        {
                            atEnd = true;
                            ended.Clear();
                            break;
                        }

                        continue;
                    }

                    ended.Remove(result.Partition.Value);

                    if (keep(result))
                    {
                        kept.Add(result);
                    }
                }

                return Task.FromResult<IReadOnlyList<ConsumeResult<byte[]?, byte[]?>>>(kept);
            },
            records => atEnd && done(records),
            TimeSpan.FromSeconds(60),
            describe);
    }
}
