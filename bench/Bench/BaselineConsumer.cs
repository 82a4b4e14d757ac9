using System.Diagnostics;
using Confluent.Kafka;
using DeviceTwins.Grains.Telemetry;
using DeviceTwins.Grains.Twin;

namespace DeviceTwins.Bench;

/// <summary>
/// The baseline: a plain Confluent.Kafka consumer loop doing the same twin update (same parser, same update
/// code) into a dictionary, in one process, with no Orleans, no storage and no delivery guarantees.
/// </summary>
internal static class BaselineConsumer
{
    public static (double RecordsPerSecond, long Applied, int Twins) Run(string bootstrapServers, int partitions, int records)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "bench-baseline-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            FetchQueueBackoffMs = 10,
            QueuedMaxMessagesKbytes = 65_536,
        };
        using var consumer = new ConsumerBuilder<byte[], byte[]>(config).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(TelemetryLoad.Topic, p, Offset.Beginning)));
        var twins = new Dictionary<string, DeviceTwinState>(StringComparer.Ordinal);
        var limits = new TelemetryLimits();
        var now = DateTimeOffset.UtcNow;
        long seen = 0, applied = 0;
        var clock = Stopwatch.StartNew();
        while (seen < records)
        {
            var result = consumer.Consume(TimeSpan.FromSeconds(10)) ?? throw new InvalidOperationException($"Baseline stalled after {seen} records.");
            seen++;
            if (TelemetryParser.TryParse(result.Message.Key, result.Message.Value, result.Topic, result.Partition.Value, result.Offset.Value, limits, now, out var telemetry, out _))
            {
                if (!twins.TryGetValue(telemetry!.DeviceId, out var twin))
                {
                    twin = new DeviceTwinState();
                    twins.Add(telemetry.DeviceId, twin);
                }

                if (TwinUpdater.Apply(twin, telemetry, now))
                {
                    applied++;
                }
            }
        }

        var rate = records / clock.Elapsed.TotalSeconds;
        consumer.Close();
        return (rate, applied, twins.Count);
    }
}
