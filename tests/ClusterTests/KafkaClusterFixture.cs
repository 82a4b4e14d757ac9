using System.Text;
using Confluent.Kafka;
using DeviceTwins.Api.Configuration;
using DeviceTwins.Silo.Configuration;
using DeviceTwins.Silo.Extensions;
using DeviceTwins.Silo.Kafka;
using DeviceTwins.Simulator;
using DeviceTwins.Streaming.Kafka.Embedded;
using DeviceTwins.Grains;
using DeviceTwins.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace DeviceTwins.ClusterTests;

/// <summary>One embedded Kafka-protocol cluster and one in-process Orleans cluster reading it through the Kafka provider.</summary>
public sealed class KafkaClusterFixture : IAsyncLifetime
{
    public const string SecondTopic = "iot.sensor.eu-west.temperature";

    public KafkaOptions Kafka { get; } = new()
    {
        TelemetryTopics = "iot.telemetry," + SecondTopic,
        TelemetryPartitions = 4,
        OutputPartitions = 1,
        ConsumerGroup = "cluster-tests",
    };

    /// <summary>The twins' processing-time clock: tests move it to close a quiet device's windows and fire its heartbeat.</summary>
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero));

    /// <summary>The stored summaries the fleet index shards read back (empty unless a test sets some).</summary>
    public ScriptedSummaryStore Summaries { get; } = new();

    /// <summary>The alert index shards' journal.</summary>
    public ScriptedAlertJournal AlertJournal { get; } = new();

    public EmbeddedKafkaCluster Broker { get; private set; } = null!;

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IProducer<byte[]?, byte[]?> Producer { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync()
    {
        Broker = EmbeddedKafkaCluster.Start();
        foreach (var topic in PlatformTopics.For(Kafka))
        {
            Broker.CreateTopic(topic.Name, topic.Partitions);
        }

        var bootstrap = Broker.BootstrapServers;
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) => silo
            .AddDeviceTwinsStorage(new RedisOptions())
            .AddDeviceTwinsTelemetry(Kafka, bootstrap, TestRules.Analytics())
            .ConfigureServices(services => services
                .AddKeyedSingleton<TimeProvider>(TwinClock.Key, Clock)
                .AddSingleton<DeviceTwins.Grains.Index.IDeviceSummaryStore>(Summaries)
                .AddSingleton<DeviceTwins.Grains.Alerts.IAlertIndexJournal>(AlertJournal)));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        var producerSettings = FleetSimulator.ProducerSettings(bootstrap);
        // librdkafka's default message.max.bytes (1,000,000) refuses the 1 MiB poison records before they leave the client.
        producerSettings.MessageMaxBytes = PoisonRecords.LargeProducerMessageMaxBytes;
        Producer = new ProducerBuilder<byte[]?, byte[]?>(producerSettings).Build();
    }

    public async Task ProduceAsync(string topic, string? key, string value)
    {
        await Producer.ProduceAsync(topic, new Message<byte[]?, byte[]?>
        {
            Key = key is null ? null : Encoding.UTF8.GetBytes(key),
            Value = Encoding.UTF8.GetBytes(value),
        });
    }

    public IConsumer<byte[]?, byte[]?> CreateConsumer(string group) => new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
    {
        BootstrapServers = Broker.BootstrapServers,
        GroupId = group,
        EnableAutoCommit = false,
        AutoOffsetReset = AutoOffsetReset.Earliest,
    }).Build();

    /// <summary>Reads partition 0 of <paramref name="topic"/> (the tests' output topics have one) until <paramref name="done"/> holds for the records keyed <paramref name="key"/>, then to its end.</summary>
    public Task<IReadOnlyList<ConsumeResult<byte[]?, byte[]?>>> ReadKeyedAsync(string topic, string key, Func<IReadOnlyList<ConsumeResult<byte[]?, byte[]?>>, bool> done) =>
        TopicReader.ReadKeyedAsync(Broker.BootstrapServers, topic, key, done);

    /// <summary>Reads partitions 0 to <paramref name="partitions"/> - 1 of <paramref name="topic"/> until <paramref name="done"/> holds for the records keyed <paramref name="key"/>, then to their ends.</summary>
    public Task<IReadOnlyList<ConsumeResult<byte[]?, byte[]?>>> ReadKeyedAsync(string topic, int partitions, string key, Func<IReadOnlyList<ConsumeResult<byte[]?, byte[]?>>, bool> done) =>
        TopicReader.ReadKeyedAsync(Broker.BootstrapServers, topic, partitions, key, done);

    public async Task DisposeAsync()
    {
        Producer?.Dispose();
        if (Cluster is not null)
        {
            await Cluster.StopAllSilosAsync();
            await Cluster.DisposeAsync();
        }

        Broker?.Dispose();
    }
}
