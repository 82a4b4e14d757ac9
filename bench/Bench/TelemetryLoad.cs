using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace DeviceTwins.Bench;

/// <summary>Produces the benchmark's telemetry: records round-robin over the devices, keyed by device id.</summary>
internal static class TelemetryLoad
{
    public const string Topic = "iot.telemetry";

    public static async Task<double> ProduceAsync(string bootstrapServers, int devices, int records)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            EnableIdempotence = true,
            Acks = Acks.All,
            LingerMs = 20,
            BatchSize = 1_000_000,
            CompressionType = CompressionType.Snappy,
            Partitioner = Partitioner.Murmur2Random,
            QueueBufferingMaxMessages = 2_000_000,
        };
        using var producer = new ProducerBuilder<byte[], byte[]>(config).Build();
        var keys = Enumerable.Range(0, devices).Select(i => Encoding.UTF8.GetBytes(DeviceId(i))).ToArray();
        var start = new DateTimeOffset(2026, 11, 27, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var failures = 0L;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < records; i++)
        {
            var device = i % devices;
            var round = i / devices;
            var value = string.Create(CultureInfo.InvariantCulture,
                $$$"""{"deviceId":"{{{DeviceId(device)}}}","ts":{{{start + (round * 1000L)}}},"metrics":{"temperature":{{{20 + (round % 50) * 0.1}}},"pressure":1.02,"humidity":{{{40 + (device % 10) + ((round % 7) * 0.1)}}}}}""");
            while (true)
            {
                try
                {
                    producer.Produce(Topic, new Message<byte[], byte[]> { Key = keys[device], Value = Encoding.UTF8.GetBytes(value) }, r =>
                    {
                        if (r.Error.IsError)
                        {
                            Interlocked.Increment(ref failures);
                        }
                    });
                    break;
                }
                catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == Confluent.Kafka.ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(10));
                }
            }
        }

        await Task.Run(() => producer.Flush(TimeSpan.FromMinutes(2)));
        if (Interlocked.Read(ref failures) > 0)
        {
            throw new InvalidOperationException($"{failures} records were not acknowledged.");
        }

        return records / clock.Elapsed.TotalSeconds;
    }

    public static string DeviceId(int index) => string.Create(CultureInfo.InvariantCulture, $"bench-{index:D7}");

    /// <summary>The index of a device id <see cref="DeviceId"/> made, or -1 for any other id.</summary>
    public static int DeviceIndex(string deviceId) =>
        deviceId.Length == 13 && deviceId.StartsWith("bench-", StringComparison.Ordinal)
            && int.TryParse(deviceId.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : -1;
}
