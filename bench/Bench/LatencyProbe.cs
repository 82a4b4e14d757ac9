using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;

namespace DeviceTwins.Bench;

/// <summary>
/// Latency from a record's produce time to its alert read from the alerts topic: live telemetry at a steady rate (event
/// time = produce time), where every so often a device's temperature jumps above the overheat threshold for one record.
/// </summary>
internal static class LatencyProbe
{
    public static async Task<(int Anomalies, int Alerts, double P50, double P99, double Max)> RunAsync(string bootstrap, int devices, int ratePerSecond, TimeSpan duration, int anomalyEvery)
    {
        var produced = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var latencies = new ConcurrentBag<double>();
        using var stop = new CancellationTokenSource();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reader = Task.Run(() => ReadAlerts(bootstrap, produced, latencies, ready, stop.Token));
        // The reader is positioned at the topic's current end before the first record goes out, so no alert is missed.
        await ready.Task;

        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrap,
            EnableIdempotence = true,
            Acks = Acks.All,
            LingerMs = 5,
            CompressionType = CompressionType.Snappy,
            Partitioner = Confluent.Kafka.Partitioner.Murmur2Random,
        }).Build();
        var keys = Enumerable.Range(0, devices).Select(i => Encoding.UTF8.GetBytes(TelemetryLoad.DeviceId(i))).ToArray();
        var tick = TimeSpan.FromMilliseconds(10);
        var perTick = ratePerSecond * tick.TotalSeconds;
        var owed = 0.0;
        long sent = 0;
        var anomalies = 0;
        var clock = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(tick);
        while (clock.Elapsed < duration && await timer.WaitForNextTickAsync())
        {
            owed += perTick;
            for (; owed >= 1; owed--, sent++)
            {
                var device = (int)(sent % devices);
                var round = sent / devices;
                var anomalous = (device + round) % anomalyEvery == 0;
                var now = DateTimeOffset.UtcNow;
                var ts = now.ToUnixTimeMilliseconds();
                var id = TelemetryLoad.DeviceId(device);
                if (anomalous)
                {
                    produced[$"{id}|{ts}"] = Stopwatch.GetTimestamp();
                    anomalies++;
                }

                var value = string.Create(CultureInfo.InvariantCulture,
                    $$$"""{"deviceId":"{{{id}}}","ts":{{{ts}}},"metrics":{"temperature":{{{(anomalous ? 95 : 21.5)}}},"pressure":1.02,"humidity":{{{40 + (device % 10) + ((round % 7) * 0.1)}}}}}""");
                producer.Produce(TelemetryLoad.Topic, new Message<byte[], byte[]> { Key = keys[device], Value = Encoding.UTF8.GetBytes(value) });
            }
        }

        producer.Flush(TimeSpan.FromSeconds(30));
        // Let the last alerts arrive, then stop reading.
        var deadline = Stopwatch.StartNew();
        while (latencies.Count < anomalies && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100);
        }

        await stop.CancelAsync();
        await reader;
        var sorted = latencies.Order().ToArray();
        return sorted.Length == 0
            ? (anomalies, 0, double.NaN, double.NaN, double.NaN)
            : (anomalies, sorted.Length, Percentile(sorted, 0.50), Percentile(sorted, 0.99), sorted[^1]);
    }

    private static void ReadAlerts(string bootstrap, ConcurrentDictionary<string, long> produced, ConcurrentBag<double> latencies, TaskCompletionSource ready, CancellationToken cancellationToken)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "bench-latency-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            FetchWaitMaxMs = 5,
        }).Build();
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build())
        {
            var partitions = admin.GetMetadata("iot.alerts", TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Count;
            consumer.Assign(Enumerable.Range(0, partitions).Select(p =>
                new TopicPartitionOffset("iot.alerts", p, consumer.QueryWatermarkOffsets(new TopicPartition("iot.alerts", p), TimeSpan.FromSeconds(10)).High)));
        }

        ready.SetResult();

        while (!cancellationToken.IsCancellationRequested)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(50));
            if (result is null)
            {
                continue;
            }

            var seen = Stopwatch.GetTimestamp();
            using var alert = JsonDocument.Parse(result.Message.Value);
            var root = alert.RootElement;
            if (root.GetProperty("rule").GetString() != BenchAnalytics.Overheat || root.GetProperty("state").GetString() != "raised")
            {
                continue;
            }

            var key = $"{root.GetProperty("deviceId").GetString()}|{root.GetProperty("eventTime").GetDateTimeOffset().ToUnixTimeMilliseconds()}";
            if (produced.TryRemove(key, out var at))
            {
                latencies.Add(Stopwatch.GetElapsedTime(at, seen).TotalMilliseconds);
            }
        }
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
