using System.Globalization;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using DeviceTwins.Api.Configuration;
using DeviceTwins.Grains;
using DeviceTwins.Grains.Interfaces;
using DeviceTwins.Silo.Configuration;
using DeviceTwins.Silo.Extensions;
using DeviceTwins.Silo.Kafka;
using DeviceTwins.Simulator;
using DeviceTwins.Streaming.Kafka.Embedded;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.Hosting;
using Orleans.TestingHost;

using DeviceTwins.Testing;

namespace DeviceTwins.ClusterTests;

/// <summary>A failed state write must not leave records applied only in memory: the retried delivery applies them durably.</summary>
public sealed class StorageFailureTests : IAsyncLifetime
{
    private readonly KafkaOptions _kafka = new() { TelemetryPartitions = 2, OutputPartitions = 1, ConsumerGroup = "storage-failure-tests" };
    private EmbeddedKafkaCluster _broker = null!;
    private InProcessTestCluster _cluster = null!;
    private FlakyGrainStorage _storage = null!;

    public async Task InitializeAsync()
    {
        _broker = EmbeddedKafkaCluster.Start();
        foreach (var topic in PlatformTopics.For(_kafka))
        {
            _broker.CreateTopic(topic.Name, topic.Partitions);
        }

        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) => silo
            .AddDeviceTwinsTelemetry(_kafka, _broker.BootstrapServers, TestRules.Analytics())
            .ConfigureServices(services => services
                .AddSingleton<FlakyGrainStorage>()
                .AddGrainStorage(DeviceTwinGrain.StorageName, (sp, _) => sp.GetRequiredService<FlakyGrainStorage>())));
        _cluster = builder.Build();
        await _cluster.DeployAsync();
        _storage = _cluster.Silos[0].ServiceProvider.GetRequiredService<FlakyGrainStorage>();
    }

    [Fact]
    public async Task FailedWrites_AreRetried_AndEveryRecordIsDurablyAppliedOnce()
    {
        const string device = "flaky-1";
        _storage.FailNextWrites(2);
        using (var producer = new ProducerBuilder<byte[], byte[]>(FleetSimulator.ProducerSettings(_broker.BootstrapServers)).Build())
        {
            for (var i = 0; i < 5; i++)
            {
                var value = string.Create(CultureInfo.InvariantCulture, $$$"""{"deviceId":"{{{device}}}","ts":{{{1795770000000 + (i * 1000)}}},"metrics":{"seq":{{{i}}}}}""");
                await producer.ProduceAsync("iot.telemetry", new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(device), Value = Encoding.UTF8.GetBytes(value) });
            }
        }

        var grain = _cluster.Client.GetGrain<IDeviceTwinGrain>(device);
        var twin = await Eventually.Until(grain.GetSnapshotAsync, t => t?.MessageCount >= 5, TimeSpan.FromSeconds(90), "five records applied despite failed writes");
        Assert.Equal(2, _storage.FailedWrites);
        Assert.Equal(5, twin!.MessageCount);

        // What is in storage, not only in the activation, holds every record exactly once.
        await _cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var reloaded = await grain.GetSnapshotAsync();
        Assert.Equal(5, reloaded!.MessageCount);
        Assert.Equal(5, reloaded.Version);
        Assert.Equal(4, reloaded.Metrics["seq"].Value);
    }

    [Fact]
    public async Task FailedWriteOfAnAlertRaise_IsRetried_AndTheAlertIsPublishedOnceWithOneId()
    {
        const string device = "flaky-alert-1";
        _storage.FailNextWrites(2);
        double[] loads = [10, 95, 96, 20, 10];
        using (var producer = new ProducerBuilder<byte[], byte[]>(FleetSimulator.ProducerSettings(_broker.BootstrapServers)).Build())
        {
            for (var i = 0; i < loads.Length; i++)
            {
                var value = string.Create(CultureInfo.InvariantCulture, $$$"""{"deviceId":"{{{device}}}","ts":{{{1795770000000 + (i * 1000)}}},"metrics":{"load":{{{loads[i]}}}}}""");
                await producer.ProduceAsync("iot.telemetry", new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(device), Value = Encoding.UTF8.GetBytes(value) });
            }
        }

        // The raise was applied, its write failed twice, and the redelivered records raised it again: one id, published once.
        var alerts = await TopicReader.ReadKeyedAsync(_broker.BootstrapServers, _kafka.AlertsTopic, device, r => r.Count >= 2);
        Assert.Equal(2, _storage.FailedWrites);
        var states = alerts.Select(r => JsonDocument.Parse(r.Message.Value).RootElement).ToList();
        Assert.Equal(["raised", "cleared"], states.Select(s => s.GetProperty("state").GetString()));
        Assert.Equal(states[0].GetProperty("id").GetString(), states[1].GetProperty("id").GetString());
        var twin = await _cluster.Client.GetGrain<IDeviceTwinGrain>(device).GetSnapshotAsync();
        Assert.Equal(5, twin!.MessageCount);
    }

    [Fact]
    public async Task Writes_CarryingAReadingAlertOrAnApiChange_AskForTheFirstLane_OthersDoNot()
    {
        const string device = "lanes-1";
        var grain = _cluster.Client.GetGrain<IDeviceTwinGrain>(device);
        double[] loads = [10, 95, 20, 10];
        using (var producer = new ProducerBuilder<byte[], byte[]>(FleetSimulator.ProducerSettings(_broker.BootstrapServers)).Build())
        {
            // One record per delivery: each version is one record's write.
            for (var i = 0; i < loads.Length; i++)
            {
                var value = string.Create(CultureInfo.InvariantCulture, $$$"""{"deviceId":"{{{device}}}","ts":{{{1795770000000 + (i * 1000)}}},"metrics":{"load":{{{loads[i]}}}}}""");
                await producer.ProduceAsync("iot.telemetry", new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(device), Value = Encoding.UTF8.GetBytes(value) });
                await Eventually.Until(grain.GetSnapshotAsync, t => t?.MessageCount == i + 1, TimeSpan.FromSeconds(60), $"record {i + 1} applied");
            }
        }

        await grain.SetTagsAsync(new Dictionary<string, string> { ["site"] = "plant-b" });

        // The first write of each version: record 1 plain, 2 raises "overload", 3 clears it, 4 plain, 5 the tags set over the API.
        var firstWriteOfVersion = _storage.TwinWrites
            .Where(w => w.Grain == GrainId.Create("devicetwin", device))
            .GroupBy(w => w.Version)
            .ToDictionary(g => g.Key, g => g.First().First);
        Assert.Equal(
            [(1L, false), (2L, true), (3L, true), (4L, false), (5L, true)],
            firstWriteOfVersion.OrderBy(p => p.Key).Select(p => (p.Key, p.Value)));
    }

    public async Task DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
        _broker.Dispose();
    }
}
