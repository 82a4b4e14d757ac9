using System.Buffers;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace DeviceTwins.Simulator;

/// <summary>
/// Sends telemetry for a fleet of simulated devices at a steady rate: produced to Kafka keyed by device id, or, with
/// <see cref="SimulatorTransport.Mqtt"/>, published by each device over MQTT (which then also answers its commands).
/// </summary>
public sealed partial class FleetSimulator(SimulatorOptions options, TimeProvider time, ILogger<FleetSimulator> logger)
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    /// <summary>Records produced and acknowledged so far.</summary>
    public long Produced => Interlocked.Read(ref _produced);

    private long _produced;

    /// <summary>Runs until cancelled or <see cref="SimulatorOptions.MaxRecords"/> records were produced.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var random = new Random(options.Seed);
        var devices = Enumerable.Range(1, options.Devices)
            .Select(i => new DeviceModel($"{options.DevicePrefix}-{i:D4}", new Random(random.Next()), options.Anomalies))
            .ToArray();
        var keys = devices.Select(d => Encoding.UTF8.GetBytes(d.DeviceId)).ToArray();
        await using var mqtt = options.Transport == SimulatorTransport.Mqtt
            ? await MqttDevices.ConnectAsync(options, [.. devices.Select(d => d.DeviceId)], () => Interlocked.Increment(ref _produced), logger, cancellationToken).ConfigureAwait(false)
            : null;
        using var producer = mqtt is not null ? null : new ProducerBuilder<byte[], byte[]>(ProducerSettings(options.BootstrapServers, options.ProducerClientSettings()))
            .SetErrorHandler((_, error) => LogProducerError(error.Code.ToString(), error.Reason))
            .SetLogHandler((_, _) => { })
            .Build();
        LogStarted(options.Devices, options.RatePerSecond, mqtt is null ? options.Topic : "MQTT", mqtt is null ? options.BootstrapServers : $"{options.MqttHost}:{options.MqttPort}");

        var buffer = new ArrayBufferWriter<byte>(512);
        var next = 0;
        var owed = 0.0;
        // Records handed to the producer; Produced counts deliveries, which arrive later.
        long sent = 0;
        var perTick = options.RatePerSecond * Tick.TotalSeconds;
        using var timer = new PeriodicTimer(Tick, time);
        var started = time.GetUtcNow();
        try
        {
            do
            {
                owed += perTick;
                var now = time.GetUtcNow();
                while (owed >= 1)
                {
                    owed--;
                    if (options.MaxRecords > 0 && sent >= options.MaxRecords)
                    {
                        producer?.Flush(cancellationToken);
                        return;
                    }

                    var device = devices[next];
                    buffer.ResetWrittenCount();
                    if (!device.WriteNext(now, buffer, now - started))
                    {
                        next = (next + 1) % devices.Length;
                        continue;
                    }

                    if (mqtt is not null)
                    {
                        // A device whose previous record is not yet acknowledged skips this reading, as a device would.
                        mqtt.TryPublish(next, device.DeviceId, buffer.WrittenSpan.ToArray(), cancellationToken);
                    }
                    else
                    {
                        producer!.Produce(options.Topic, new Message<byte[], byte[]> { Key = keys[next], Value = buffer.WrittenSpan.ToArray() }, OnDelivered);
                    }

                    sent++;
                    next = (next + 1) % devices.Length;
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            producer?.Flush(TimeSpan.FromSeconds(5));
        }
    }

    /// <summary>The producer settings the design calls for: idempotent, acks=all, snappy, a short linger, Java-compatible key partitioning.</summary>
    public static ProducerConfig ProducerSettings(string bootstrapServers, IReadOnlyDictionary<string, string>? clientSettings = null) => new(clientSettings?.ToDictionary(p => p.Key, p => p.Value) ?? [])
    {
        BootstrapServers = bootstrapServers,
        EnableIdempotence = true,
        Acks = Acks.All,
        LingerMs = 5,
        CompressionType = CompressionType.Snappy,
        Partitioner = Partitioner.Murmur2Random,
        AllowAutoCreateTopics = false,
    };

    private void OnDelivered(DeliveryReport<byte[], byte[]> report)
    {
        if (report.Error.IsError)
        {
            LogDeliveryFailed(report.Error.Reason);
        }
        else
        {
            Interlocked.Increment(ref _produced);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulating {Devices} devices at {Rate} records/s into {Topic} on {BootstrapServers}")]
    private partial void LogStarted(int devices, double rate, string topic, string bootstrapServers);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Simulator record not delivered: {Reason}")]
    private partial void LogDeliveryFailed(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Simulator producer error {Code}: {Reason}")]
    private partial void LogProducerError(string code, string reason);
}
