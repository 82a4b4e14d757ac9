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
    public async Task PoisonRecords_OfEveryKind_AreDeadLetteredOnceWithTheirBytes_AndDoNotBlockTheirPartition()
    {
        const string topic = "iot.telemetry";
        var partitions = fixture.Kafka.TelemetryPartitions;
        var devices = Enumerable.Range(0, partitions).Select(_ => NewDevice()).ToArray();
        var poison = new Dictionary<(int Partition, long Offset), PoisonRecord>();
        var valid = new HashSet<(int Partition, long Offset)>();
        var validCounts = new long[partitions];

        // Every kind three times, spread over the partitions, each followed by a valid record of that partition's device;
        // then two 1 MiB records (a fifth of a partition each on the embedded cluster), each followed by a valid one too.
        for (var i = 0; i < 3 * PoisonRecords.KindCount + 2; i++)
        {
            var p = i % partitions;
            var record = i < 3 * PoisonRecords.KindCount ? PoisonRecords.Create(i, devices[p]) : PoisonRecords.CreateLarge(devices[p]);
            poison.Add(await ProduceAtAsync(topic, p, record.Key, record.Value), record);
            valid.Add(await ProduceAtAsync(topic, p, Encoding.UTF8.GetBytes(devices[p]), Encoding.UTF8.GetBytes(Record(devices[p], T0.AddSeconds(i), i))));
            validCounts[p]++;
        }

        for (var p = 0; p < partitions; p++)
        {
            var twin = await WaitForCount(devices[p], validCounts[p]);
            Assert.Equal(validCounts[p], twin.Version);
        }

        var dead = await TopicReader.ReadAsync(
            fixture.Broker.BootstrapServers,
            fixture.Kafka.DeadLetterTopic,
            r => Header(r, DeadLetterHeaders.Topic) == topic && (poison.ContainsKey(Origin(r)) || valid.Contains(Origin(r))),
            records => poison.Keys.All(records.Select(Origin).Contains),
            records => $"{records.Count} of {poison.Count} poison records dead-lettered");

        Assert.DoesNotContain(dead, r => valid.Contains(Origin(r)));
        Assert.Equal(poison.Count, dead.Count);
        foreach (var record in dead)
        {
            var expected = poison[Origin(record)];
            Assert.True(expected.Key is null ? record.Message.Key is null : record.Message.Key is { } key && key.AsSpan().SequenceEqual(expected.Key), $"{expected.Kind}: key");
            Assert.True(record.Message.Value.AsSpan().SequenceEqual(expected.Value), $"{expected.Kind}: value");
            Assert.Contains(expected.ExpectedReason, Header(record, DeadLetterHeaders.Reason), StringComparison.Ordinal);
        }

        Assert.Equal(PoisonRecords.Kinds.Append("large-value").Order(), dead.Select(r => poison[Origin(r)].Kind).Distinct().Order());
        using var consumer = fixture.CreateConsumer(fixture.Kafka.ConsumerGroup);
        var ends = Enumerable.Range(0, partitions).ToDictionary(p => p, p => poison.Keys.Concat(valid).Where(o => o.Partition == p).Max(o => o.Offset) + 1);
        await Eventually.Until(
            () => Task.FromResult(ends.Keys.ToDictionary(p => p, p => Committed(consumer, new TopicPartition(topic, p)))),
            committed => ends.All(e => committed[e.Key] >= e.Value && Lag(consumer, new TopicPartition(topic, e.Key)) == 0),
            Timeout,
            committed => $"committed offsets {string.Join(", ", committed.Select(c => $"{c.Key}:{c.Value}"))} to reach {string.Join(", ", ends.Select(e => $"{e.Key}:{e.Value}"))}");

        static (int Partition, long Offset) Origin(ConsumeResult<byte[]?, byte[]?> record) =>
            (int.Parse(Header(record, DeadLetterHeaders.Partition)!, CultureInfo.InvariantCulture), long.Parse(Header(record, DeadLetterHeaders.Offset)!, CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task PoisonRecord_TooLargeToCopyToTheDeadLetterTopic_IsDeadLetteredWithoutItsValue_AndDoesNotBlockItsPartition()
    {
        // The second topic's last partition, which other tests barely use: the record fills most of its 5 MiB on the embedded cluster.
        var origin = new TopicPartition(KafkaClusterFixture.SecondTopic, fixture.Kafka.TelemetryPartitions - 1);
        var device = NewDevice();
        var huge = PoisonRecords.CreateLarge(device, KafkaDeadLetterPublisher.MaxMessageBytes);
        var settings = FleetSimulator.ProducerSettings(fixture.Broker.BootstrapServers);
        settings.MessageMaxBytes = 2 * KafkaDeadLetterPublisher.MaxMessageBytes;
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(settings).Build();

        var delivered = await producer.ProduceAsync(origin, new Message<byte[]?, byte[]?> { Key = huge.Key, Value = huge.Value });
        var next = await producer.ProduceAsync(origin, new Message<byte[]?, byte[]?> { Key = huge.Key, Value = Encoding.UTF8.GetBytes(Record(device, T0, 3)) });

        var twin = await WaitForCount(device, 1);
        Assert.Equal(3, twin.Metrics["temperature"].Value);
        var dead = await TopicReader.ReadAsync(
            fixture.Broker.BootstrapServers,
            fixture.Kafka.DeadLetterTopic,
            r => Header(r, DeadLetterHeaders.Topic) == origin.Topic && Header(r, DeadLetterHeaders.Partition) == origin.Partition.Value.ToString(CultureInfo.InvariantCulture)
                && Header(r, DeadLetterHeaders.Offset) is { } offset && long.Parse(offset, CultureInfo.InvariantCulture) >= delivered.Offset.Value,
            records => records.Count > 0,
            records => $"{records.Count} dead-letter records of {origin}");
        var record = Assert.Single(dead);
        Assert.Equal(delivered.Offset.Value.ToString(CultureInfo.InvariantCulture), Header(record, DeadLetterHeaders.Offset));
        Assert.Equal(huge.Key, record.Message.Key);
        Assert.Null(record.Message.Value);
        Assert.Equal(
            $"value of {huge.Value.Length} bytes exceeds the limit of 65536 bytes; value of {huge.Value.Length} bytes not kept: the dead-letter record would exceed {KafkaDeadLetterPublisher.MaxMessageBytes} bytes",
            Header(record, DeadLetterHeaders.Reason));
        using var consumer = fixture.CreateConsumer(fixture.Kafka.ConsumerGroup);
        await Eventually.Until(
            () => Task.FromResult(Committed(consumer, origin)),
            committed => committed > next.Offset.Value,
            Timeout,
            committed => $"committed offset {committed} of {origin} to pass {next.Offset.Value}");
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

    private async Task<(int Partition, long Offset)> ProduceAtAsync(string topic, int partition, byte[]? key, byte[] value)
    {
        var delivered = await fixture.Producer.ProduceAsync(new TopicPartition(topic, partition), new Message<byte[]?, byte[]?> { Key = key, Value = value });
        return (delivered.Partition.Value, delivered.Offset.Value);
    }

    private static long Committed(IConsumer<byte[]?, byte[]?> consumer, TopicPartition partition) =>
        consumer.Committed([partition], TimeSpan.FromSeconds(5)).Single().Offset.Value;

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

    private static string? Header(ConsumeResult<byte[]?, byte[]?> record, string name) =>
        record.Message.Headers?.TryGetLastBytes(name, out var bytes) == true ? Encoding.UTF8.GetString(bytes) : null;

    private static string NewDevice() => "dev-" + Guid.NewGuid().ToString("N")[..12];

    private static string Record(string device, DateTimeOffset ts, double temperature) =>
        string.Create(CultureInfo.InvariantCulture, $$$"""{"deviceId":"{{{device}}}","ts":"{{{ts:yyyy-MM-ddTHH:mm:ss.fffZ}}}","metrics":{"temperature":{{{temperature}}},"pressure":1.02},"props":{"firmware":"1.4.2"}}""");
}
