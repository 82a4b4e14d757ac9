using DeviceTwins.Testing;
using DeviceTwins.Api.Configuration;
using DeviceTwins.Grains.Interfaces;
using DeviceTwins.Grains.Interfaces.Models;
using DeviceTwins.Grains.Publishing;
using DeviceTwins.Silo.Configuration;
using DeviceTwins.Silo.Extensions;
using DeviceTwins.Silo.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace DeviceTwins.ClusterTests;

/// <summary>
/// A twin's turn does not wait for Kafka: while a desired change is stored but its publication is held at a gate, the
/// write answers, the stored twin is served by both reads, and the change is published once the gate opens.
/// </summary>
[Collection(KafkaClusterCollection.Name)]
public sealed class StoredSnapshotTests(KafkaClusterFixture fixture) : IAsyncLifetime
{
    private const int MaxBytes = 32 * 1024;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly GatedDesiredPublisher _publisher = new();
    private InProcessTestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        // A cluster for each test (its own topics and group on the shared broker), whose desired-state publisher is a gate.
        var run = Guid.NewGuid().ToString("N")[..8];
        var kafka = new KafkaOptions
        {
            TelemetryTopics = $"peek.{run}.telemetry",
            TelemetryPartitions = 1,
            OutputPartitions = 1,
            ConsumerGroup = "stored-snapshot-" + run,
            AlertsTopic = $"peek.{run}.alerts",
            AggregatesTopic = $"peek.{run}.aggregates",
            DesiredTopic = $"peek.{run}.desired",
            AuditTopic = $"peek.{run}.audit",
            CommandsTopic = $"peek.{run}.commands",
            CommandEventsTopic = $"peek.{run}.commands.events",
            DeadLetterTopic = $"peek.{run}.telemetry.dlq",
        };
        foreach (var topic in PlatformTopics.For(kafka))
        {
            fixture.Broker.CreateTopic(topic.Name, topic.Partitions);
        }

        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) => silo
            .ConfigureServices(services => services.AddSingleton<IDesiredStatePublisher>(_publisher))
            .AddDeviceTwinsStorage(new RedisOptions())
            .AddDeviceTwinsTelemetry(kafka, fixture.Broker.BootstrapServers, TestRules.Analytics()));
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        _publisher.Open();
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task Patch_WhileItsPublicationIsHeld_AnswersAtOnce_BothReadsServeIt_ThenTheOutboxDrains()
    {
        var twin = _cluster.Client.GetGrain<IDeviceTwinGrain>("peek-1");
        Assert.Null(await twin.PeekStoredSnapshotAsync());
        _publisher.Open();
        var first = await twin.PatchDesiredAsync("""{"rate":5}""", null, MaxBytes, Caller.Platform);
        Assert.Equal(1, first.Version);
        Assert.Equal(1, (await twin.PeekStoredSnapshotAsync())!.Version);

        // The next change is stored, then its publication waits at the gate: the twin's turn does not wait for it.
        _publisher.Close();
        var patch = await twin.PatchDesiredAsync("""{"rate":10}""", null, MaxBytes, Caller.Platform).WaitAsync(Timeout);
        await _publisher.Entered.WaitAsync(Timeout);
        var peeked = await twin.PeekStoredSnapshotAsync().WaitAsync(Timeout);
        var inTurn = await twin.GetSnapshotAsync().WaitAsync(Timeout);

        Assert.Equal(TwinWriteStatus.Written, patch.Status);
        Assert.Equal((2L, """{"rate":10}"""), (peeked!.Version, peeked.Desired));
        Assert.Equal(2, inTurn!.Version);
        Assert.Equal(1, _publisher.Held);

        _publisher.Open();
        await Eventually.Until(() => Task.FromResult(_publisher.Held), held => held == 0, Timeout, "the held publication to pass the gate");
        Assert.Equal([1L, 2L], _publisher.Published);
    }

    [Fact]
    public async Task Peek_NeverSeenDevice_NullAndNoTwinCreated()
    {
        var twin = _cluster.Client.GetGrain<IDeviceTwinGrain>("peek-never-seen");

        Assert.Null(await twin.PeekStoredSnapshotAsync());
        Assert.Null(await twin.GetSnapshotAsync());
    }
}
