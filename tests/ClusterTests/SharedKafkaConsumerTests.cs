using System.Text;
using Confluent.Kafka;
using DeviceTwins.Streaming.Kafka.Embedded;
using DeviceTwins.Streaming.Kafka.Hosting;
using DeviceTwins.Streaming.Kafka.Providers;
using DeviceTwins.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace DeviceTwins.ClusterTests;

/// <summary>
/// One client reads every partition of the process: each partition's reads get exactly its records, in offset order,
/// whoever polled them; a partition whose buffer fills is paused and resumes once its receiver drains it.
/// </summary>
public sealed class SharedKafkaConsumerTests
{
    private const string Topic = "shared-consumer";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Take_ManyPartitions_EachGetsExactlyItsRecordsInOrder_ThroughFullBuffers()
    {
        const int Partitions = 4;
        const int PerPartition = 2_000;
        using var broker = EmbeddedKafkaCluster.Start();
        broker.CreateTopic(Topic, Partitions);
        Produce(broker, Partitions, PerPartition);

        // A 1 KB buffer holds a handful of records: every partition but the one being read pauses again and again.
        var options = new KafkaStreamingOptions { BootstrapServers = broker.BootstrapServers, ConsumerGroup = "shared-" + Guid.NewGuid().ToString("N")[..8], MaxPrefetchKilobytes = 1 };
        using var consumer = new SharedKafkaConsumer(options, "shared-test", NullLogger<SharedKafkaConsumer>.Instance);
        var partitions = Enumerable.Range(0, Partitions).Select(p => new TopicPartition(Topic, p)).ToArray();
        foreach (var partition in partitions)
        {
            consumer.Attach(partition, _ => { });
        }

        var read = partitions.ToDictionary(p => p.Partition.Value, _ => new List<long>());
        var batch = new List<ConsumeResult<byte[]?, byte[]?>>();
        await Eventually.Until(
            () =>
            {
                // Partition 0 is read most often, so the others' records mostly arrive through its polls.
                foreach (var partition in partitions.Concat([partitions[0], partitions[0]]))
                {
                    batch.Clear();
                    consumer.Take(partition, 100, batch, CancellationToken.None);
                    Assert.All(batch, r => Assert.Equal(partition, r.TopicPartition));
                    Assert.All(batch, r => Assert.Equal($"p{partition.Partition.Value}-{r.Offset.Value}", Encoding.UTF8.GetString(r.Message.Value!)));
                    read[partition.Partition.Value].AddRange(batch.Select(r => r.Offset.Value));
                }

                return Task.FromResult(read.Values.Sum(l => l.Count));
            },
            count => count == Partitions * PerPartition, Timeout, count => $"{count} of {Partitions * PerPartition} records read");

        foreach (var offsets in read.Values)
        {
            Assert.Equal(Enumerable.Range(0, PerPartition).Select(i => (long)i), offsets);
        }

        foreach (var partition in partitions)
        {
            Assert.Equal((PerPartition, PerPartition), consumer.Progress(partition));
        }
    }

    [Fact]
    public async Task Rewind_DropsWhatWasBuffered_AndReadsAgainFromTheOffset()
    {
        using var broker = EmbeddedKafkaCluster.Start();
        broker.CreateTopic(Topic, 2);
        Produce(broker, 2, 50);
        var options = new KafkaStreamingOptions { BootstrapServers = broker.BootstrapServers, ConsumerGroup = "rewind-" + Guid.NewGuid().ToString("N")[..8] };
        using var consumer = new SharedKafkaConsumer(options, "rewind-test", NullLogger<SharedKafkaConsumer>.Instance);
        var first = new TopicPartition(Topic, 0);
        var second = new TopicPartition(Topic, 1);
        consumer.Attach(first, _ => { });
        consumer.Attach(second, _ => { });

        // Read all of the second partition through the first one's polls, then ten of it, then rewind to 5.
        var batch = new List<ConsumeResult<byte[]?, byte[]?>>();
        await Eventually.Until(
            () =>
            {
                consumer.Take(first, 1_000, batch, CancellationToken.None);
                return Task.FromResult(batch.Count);
            },
            count => count == 50, Timeout, count => $"{count} of 50 records of the first partition");
        var taken = new List<ConsumeResult<byte[]?, byte[]?>>();
        consumer.Take(second, 10, taken, CancellationToken.None);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), taken.Select(r => r.Offset.Value));

        consumer.Rewind(second, 5);
        taken.Clear();
        await Eventually.Until(
            () =>
            {
                consumer.Take(second, 1_000, taken, CancellationToken.None);
                return Task.FromResult(taken.Count);
            },
            count => count >= 45, Timeout, count => $"{count} of 45 records after the rewind");

        Assert.Equal(Enumerable.Range(5, 45).Select(i => (long)i), taken.Select(r => r.Offset.Value));
    }

    [Fact]
    public void Detach_LastPartition_CommitsAndClosesTheClient()
    {
        using var broker = EmbeddedKafkaCluster.Start();
        broker.CreateTopic(Topic, 2);
        Produce(broker, 2, 3);
        var group = "detach-" + Guid.NewGuid().ToString("N")[..8];
        var options = new KafkaStreamingOptions { BootstrapServers = broker.BootstrapServers, ConsumerGroup = group, CommitInterval = TimeSpan.FromHours(1) };
        using var consumer = new SharedKafkaConsumer(options, "detach-test", NullLogger<SharedKafkaConsumer>.Instance);
        var first = new TopicPartition(Topic, 0);
        var second = new TopicPartition(Topic, 1);
        consumer.Attach(first, _ => { });
        consumer.Attach(second, _ => { });
        consumer.StoreOffset(first, 2);
        consumer.StoreOffset(second, 3);

        consumer.Detach(first, commit: true);
        Assert.Equal(1, consumer.PartitionCount);
        consumer.Detach(second, commit: false);
        Assert.Equal(0, consumer.PartitionCount);

        // The first detach committed every stored offset; the client is closed with the last partition.
        using var observer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = broker.BootstrapServers, GroupId = group }).Build();
        var committed = observer.Committed([first, second], Timeout).OrderBy(o => o.Partition.Value).Select(o => o.Offset.Value);
        Assert.Equal([2L, 3L], committed);
        Assert.Throws<ObjectDisposedException>(() => consumer.Take(first, 1, [], CancellationToken.None));
    }

    private static void Produce(EmbeddedKafkaCluster broker, int partitions, int perPartition)
    {
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = broker.BootstrapServers, LingerMs = 5 }).Build();
        for (var p = 0; p < partitions; p++)
        {
            for (var i = 0; i < perPartition; i++)
            {
                producer.Produce(new TopicPartition(Topic, p), new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes($"d{i % 7}"), Value = Encoding.UTF8.GetBytes($"p{p}-{i}") });
            }
        }

        producer.Flush(Timeout);
    }
}
