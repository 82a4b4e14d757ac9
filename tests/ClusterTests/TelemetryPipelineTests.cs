using System.Globalization;
using System.Text;
using Confluent.Kafka;
using DeviceTwins.Grains.Interfaces;
using DeviceTwins.Grains.Interfaces.Models;
using DeviceTwins.Silo.Kafka;
using DeviceTwins.Simulator;
using DeviceTwins.Streaming.Kafka.Admin;
using DeviceTwins.Streaming.Kafka.Publishing;
using Microsoft.Extensions.Logging.Abstractions;

using DeviceTwins.Testing;

namespace DeviceTwins.ClusterTests;

[Collection(KafkaClusterCollection.Name)]
public sealed class TelemetryPipelineTests(KafkaClusterFixture fixture)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Records_ForSeveralDevices_AreAppliedOnceEachWithLatestByEventTime()
    {
        var devices = Enumerable.Range(0, 5).Select(i => NewDevice()).ToList();
        foreach (var device in devices)
        {
            for (var i = 0; i < 20; i++)
            {
                await fixture.ProduceAsync("iot.telemetry", device, Record(device, T0.AddSeconds(i), i));
            }

            // A late record: counted, but it must not replace the newer temperature.
            await fixture.ProduceAsync("iot.telemetry", device, Record(device, T0.AddSeconds(-30), -1));
        }

        foreach (var device in devices)
        {
            var twin = await WaitForCount(device, 21);
            Assert.Equal(21, twin.Version);
            Assert.Equal(new MetricReading(19, T0.AddSeconds(19)), twin.Metrics["temperature"]);
            Assert.Equal(T0.AddSeconds(-30), twin.FirstSeen);
            Assert.Equal(T0.AddSeconds(19), twin.LastSeen);
            Assert.Equal("\"1.4.2\"", twin.Props["firmware"].Json);
        }
    }

    [Fact]
    public async Task PoisonRecords_GoToDeadLetterTopicWithReason_AndDoNotBlockTheirPartition()
    {
        var device = NewDevice();
        var poison = new (string? Key, string Value, string Reason)[]
        {
            (device, "{not json", "invalid JSON"),
            (device, Record("someone-else", T0, 1), "disagree"),
            (null, Record(device, T0, 1), "missing key"),
            (device, """{"deviceId":"DEV","ts":"2026-11-27T09:00:00Z","metrics":{"temperature":"hot"}}""".Replace("DEV", device, StringComparison.Ordinal), "must be a number"),
        };
        foreach (var (key, value, _) in poison)
        {
            await fixture.ProduceAsync("iot.telemetry", key, value);
        }

        await fixture.ProduceAsync("iot.telemetry", device, Record(device, T0, 7));

        var twin = await WaitForCount(device, 1);
        Assert.Equal(7, twin.Metrics["temperature"].Value);

        using var consumer = fixture.CreateConsumer("dlq-reader-" + device);
        consumer.Assign(new TopicPartitionOffset(fixture.Kafka.DeadLetterTopic, 0, Offset.Beginning));
        var dead = new List<ConsumeResult<byte[]?, byte[]?>>();
        var deadline = DateTime.UtcNow + Timeout;
        while (dead.Count(IsMine) < poison.Length && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result)
            {
                dead.Add(result);
            }
        }

        var mine = dead.Where(IsMine).ToList();
        Assert.Equal(poison.Length, mine.Count);
        for (var i = 0; i < poison.Length; i++)
        {
            // Records from different partitions interleave on the dead-letter topic: match by original bytes.
            var record = Assert.Single(mine, r => Encoding.UTF8.GetString(r.Message.Value!) == poison[i].Value);
            Assert.Equal(poison[i].Key, record.Message.Key is null ? null : Encoding.UTF8.GetString(record.Message.Key));
            Assert.Contains(poison[i].Reason, Header(record, DeadLetterHeaders.Reason), StringComparison.Ordinal);
            Assert.Equal("iot.telemetry", Header(record, DeadLetterHeaders.Topic));
            Assert.True(int.Parse(Header(record, DeadLetterHeaders.Partition), CultureInfo.InvariantCulture) >= 0);
            Assert.True(long.Parse(Header(record, DeadLetterHeaders.Offset), CultureInfo.InvariantCulture) >= 0);
        }

        bool IsMine(ConsumeResult<byte[]?, byte[]?> result) => Encoding.UTF8.GetString(result.Message.Value ?? []).Contains(device, StringComparison.Ordinal)
            || (result.Message.Key is { } key && Encoding.UTF8.GetString(key) == device);
    }

    [Fact]
    public async Task SeveralTelemetryTopics_FeedTheSameTwin()
    {
        var device = NewDevice();
        await fixture.ProduceAsync("iot.telemetry", device, Record(device, T0, 1));
        await fixture.ProduceAsync(KafkaClusterFixture.SecondTopic, device, Record(device, T0.AddSeconds(1), 2));

        var twin = await WaitForCount(device, 2);

        Assert.Equal(2, twin.Metrics["temperature"].Value);
    }

    [Fact]
    public async Task CommittedOffsets_ReachTheEndOfEveryPartitionOnceApplied()
    {
        var device = NewDevice();
        for (var i = 0; i < 10; i++)
        {
            await fixture.ProduceAsync("iot.telemetry", device, Record(device, T0.AddSeconds(i), i));
        }

        await WaitForCount(device, 10);
        using var consumer = fixture.CreateConsumer(fixture.Kafka.ConsumerGroup);
        var partitions = Enumerable.Range(0, fixture.Kafka.TelemetryPartitions).Select(p => new TopicPartition("iot.telemetry", p)).ToList();
        await Eventually.Until(
            () => Task.FromResult(partitions.Select(p => Lag(consumer, p)).Sum()),
            lag => lag == 0,
            Timeout,
            "the consumer group's committed offsets to reach the high watermarks");
    }

    [Fact]
    public async Task FleetSimulator_ProducesKeyedTelemetryThatEveryTwinApplies()
    {
        var prefix = "sim" + Guid.NewGuid().ToString("N")[..6];
        var options = new SimulatorOptions
        {
            BootstrapServers = fixture.Broker.BootstrapServers,
            Devices = 3,
            RatePerSecond = 300,
            MaxRecords = 30,
            DevicePrefix = prefix,
        };
        var simulator = new FleetSimulator(options, TimeProvider.System, NullLogger<FleetSimulator>.Instance);

        await simulator.RunAsync(CancellationToken.None);

        Assert.Equal(30, simulator.Produced);
        foreach (var device in new[] { $"{prefix}-0001", $"{prefix}-0002", $"{prefix}-0003" })
        {
            var twin = await WaitForCount(device, 10);
            Assert.Equal(["battery", "humidity", "pressure", "temperature"], twin.Metrics.Keys.Order());
            Assert.Equal(["firmware", "site"], twin.Props.Keys.Order());
        }
    }

    [Fact]
    public async Task TopicProvisioner_AllTopicsPresent_CreatesNothing()
    {
        var provisioner = new KafkaTopicProvisioner(NullLogger<KafkaTopicProvisioner>.Instance);

        var created = await provisioner.EnsureTopicsAsync(fixture.Broker.BootstrapServers, new Dictionary<string, string>(), PlatformTopics.For(fixture.Kafka), TimeSpan.FromSeconds(10));

        Assert.Empty(created);
    }

    [Fact]
    public async Task UnknownDevice_HasNoTwin()
    {
        Assert.Null(await fixture.Grains.GetGrain<IDeviceTwinGrain>(NewDevice()).GetSnapshotAsync());
    }

    private static long Lag(IConsumer<byte[]?, byte[]?> consumer, TopicPartition partition)
    {
        var high = consumer.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(5)).High.Value;
        var committed = consumer.Committed([partition], TimeSpan.FromSeconds(5)).Single().Offset;
        return high == 0 ? 0 : committed == Offset.Unset ? high : high - committed.Value;
    }

    private async Task<TwinSnapshot> WaitForCount(string device, long count)
    {
        var grain = fixture.Grains.GetGrain<IDeviceTwinGrain>(device);
        var twin = await Eventually.Until(grain.GetSnapshotAsync, t => t is not null && t.MessageCount >= count, Timeout, $"twin {device} to apply {count} records");
        Assert.Equal(count, twin!.MessageCount);
        return twin;
    }

    private static string Header(ConsumeResult<byte[]?, byte[]?> record, string name) =>
        Encoding.UTF8.GetString(record.Message.Headers.GetLastBytes(name));

    private static string NewDevice() => "dev-" + Guid.NewGuid().ToString("N")[..12];

    private static string Record(string device, DateTimeOffset ts, double temperature) =>
        string.Create(CultureInfo.InvariantCulture, $$$"""{"deviceId":"{{{device}}}","ts":"{{{ts:yyyy-MM-ddTHH:mm:ss.fffZ}}}","metrics":{"temperature":{{{temperature}}},"pressure":1.02},"props":{"firmware":"1.4.2"}}""");
}
