using System.Diagnostics;
using Confluent.Kafka;
using DeviceTwins.Analytics;
using DeviceTwins.Analytics.Rules;
using DeviceTwins.Grains.Analytics;
using DeviceTwins.Grains.Telemetry;
using DeviceTwins.Silo.Analytics;
using DeviceTwins.Grains.Twin;

namespace DeviceTwins.Bench;

/// <summary>
/// The baseline: a plain Confluent.Kafka consumer loop doing the same work as the twins (same parser, same twin
/// update, same analytics engine and rules, alerts and closed windows produced to the same topics as the same JSON)
/// into a dictionary, in one process, with no Orleans, no storage and no delivery guarantees.
/// </summary>
internal static class BaselineConsumer
{
    public static (double RecordsPerSecond, long Applied, int Twins, long Outputs) Run(string bootstrapServers, int partitions, int records)
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
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            EnableIdempotence = true,
            Acks = Acks.All,
            LingerMs = 5,
            CompressionType = CompressionType.Snappy,
        }).Build();
        var analytics = new DeviceAnalytics(BenchAnalytics.Options());
        var rules = new Dictionary<string, DeviceRules>(StringComparer.Ordinal);
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        var metrics = new List<KeyValuePair<string, double>>();
        long outputs = 0;
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
                    if (!rules.TryGetValue(telemetry.DeviceId, out var deviceRules))
                    {
                        deviceRules = analytics.RulesFor(telemetry.DeviceId, tags);
                        rules.Add(telemetry.DeviceId, deviceRules);
                    }

                    metrics.Clear();
                    foreach (var metric in telemetry.Metrics)
                    {
                        metrics.Add(new KeyValuePair<string, double>(metric.Name, metric.Value));
                    }

                    analytics.Observe(twin.Analytics, telemetry.DeviceId, deviceRules, telemetry.Timestamp, metrics, now);
                    if (twin.Analytics.HasPending)
                    {
                        outputs += Publish(producer, result.Message.Key, twin.Analytics);
                    }
                }
            }
        }

        producer.Flush(TimeSpan.FromMinutes(1));
        var rate = records / clock.Elapsed.TotalSeconds;
        consumer.Close();
        return (rate, applied, twins.Count, outputs);
    }

    private static int Publish(IProducer<byte[], byte[]> producer, byte[] key, DeviceAnalyticsState state)
    {
        foreach (var alert in state.PendingAlerts)
        {
            producer.Produce(BaselineTopics.Alerts, new Message<byte[], byte[]> { Key = key, Value = AnalyticsJson.Alert(AnalyticsMapping.ToInfo(alert)) });
        }

        foreach (var window in state.PendingWindows)
        {
            producer.Produce(BaselineTopics.Aggregates, new Message<byte[], byte[]> { Key = key, Value = AnalyticsJson.Aggregate(AnalyticsMapping.ToRecord(window)) });
        }

        var count = state.PendingAlerts.Count + state.PendingWindows.Count;
        state.PendingAlerts.Clear();
        state.PendingWindows.Clear();
        return count;
    }
}
