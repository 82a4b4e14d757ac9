using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;
using Confluent.Kafka;
using DeviceTwins.Streaming.Kafka.Embedded;
using DeviceTwins.Streaming.Kafka.Hosting;
using DeviceTwins.Streaming.Kafka.Providers;
using DeviceTwins.Streaming.Kafka.Publishing;
using DeviceTwins.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Runtime;
using Orleans.Streams;

namespace DeviceTwins.ClusterTests;

/// <summary>
/// A partition receiver's shutdown commits what was delivered and says so, also when the periodic commit already took every
/// stored offset (the consumer then has nothing left to commit and answers "no offset").
/// </summary>
public sealed class KafkaReceiverShutdownTests
{
    private const string Topic = "shutdown-test";
    private const int Records = 3;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(false, "Committed shutdown-test[0] up to offset 3 on shutdown")]
    [InlineData(true, "shutdown-test[0] was already committed up to offset 3 on shutdown")]
    public async Task Shutdown_AfterDelivery_CommitsAndSaysUpToWhere(bool periodicCommitFirst, string expected)
    {
        using var broker = EmbeddedKafkaCluster.Start();
        broker.CreateTopic(Topic, 1);
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = broker.BootstrapServers }).Build())
        {
            for (var i = 0; i < Records; i++)
            {
                await producer.ProduceAsync(Topic, new Message<string, string> { Key = "device-1", Value = $"{{\"seq\":{i}}}" });
            }
        }

        var group = "shutdown-" + Guid.NewGuid().ToString("N")[..8];
        var options = new KafkaStreamingOptions
        {
            BootstrapServers = broker.BootstrapServers,
            ConsumerGroup = group,
            // Without the periodic commit in play it waits an hour, so only the shutdown can commit.
            CommitInterval = periodicCommitFirst ? TimeSpan.FromMilliseconds(50) : TimeSpan.FromHours(1),
        };
        var log = new LogLines();
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var deadLetters = new KafkaDeadLetterPublisher(options, NullLogger<KafkaDeadLetterPublisher>.Instance);
        var receiver = new KafkaQueueAdapterReceiver(new TopicPartition(Topic, 0), options, new EveryRecordMapper(), deadLetters,
            new KafkaStreamingMetrics(services.GetRequiredService<IMeterFactory>()), log);
        await receiver.Initialize(Timeout);

        var read = new List<IBatchContainer>();
        await Eventually.Until(
            async () =>
            {
                read.AddRange(await receiver.GetQueueMessagesAsync(100, CancellationToken.None));
                return read.Sum(b => b.GetEvents<string>().Count());
            },
            count => count == Records, Timeout, count => $"{count} of {Records} records read");
        await receiver.MessagesDeliveredAsync(read, CancellationToken.None);

        using var observer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = broker.BootstrapServers, GroupId = group }).Build();
        if (periodicCommitFirst)
        {
            await Eventually.Until(() => Task.FromResult(Committed(observer)), offset => offset == Records, Timeout, offset => $"committed offset {offset}, not yet {Records}");
        }
        else
        {
            Assert.Equal(Offset.Unset.Value, Committed(observer));
        }

        await receiver.Shutdown(Timeout);

        Assert.Contains(expected, log.Lines);
        Assert.Equal(Records, Committed(observer));
    }

    private static long Committed(IConsumer<Ignore, Ignore> consumer) =>
        consumer.Committed([new TopicPartition(Topic, 0)], TimeSpan.FromSeconds(10)).Single().Offset.Value;

    private sealed class EveryRecordMapper : IKafkaRecordMapper
    {
        public KafkaRecordMapping Map(in KafkaRecord record) =>
            KafkaRecordMapping.Accept(StreamId.Create("shutdown", Encoding.UTF8.GetString(record.Key)), Encoding.UTF8.GetString(record.Value));
    }

    private sealed class LogLines : ILogger<KafkaQueueAdapterReceiver>
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IReadOnlyList<string> Lines => [.. _lines];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _lines.Enqueue(formatter(state, exception));
    }
}
