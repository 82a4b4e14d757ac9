using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using DeviceTwins.Simulator;

namespace DeviceTwins.Bench.Get;

/// <summary>
/// Telemetry for the GET benchmark: one record per device to create every twin, then a steady flow at a stated rate,
/// round-robin over the devices, event time = produce time, through one long-lived producer.
/// </summary>
internal sealed class LiveTelemetry : IAsyncDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(10);
    private readonly IProducer<byte[], byte[]> _producer;
    private readonly byte[][] _keys;
    private readonly Action<DeliveryReport<byte[], byte[]>> _onDelivery;
    private readonly CancellationTokenSource _stop = new();
    private long _sent;
    private long _failures;
    private Task? _flow;

    public LiveTelemetry(string bootstrapServers, int devices)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(devices, 1);
        // The simulator's producer: the settings the design calls for (idempotent, acks=all, snappy, linger 5 ms, Murmur2).
        _producer = new ProducerBuilder<byte[], byte[]>(FleetSimulator.ProducerSettings(bootstrapServers)).Build();
        _keys = [.. Enumerable.Range(0, devices).Select(i => Encoding.UTF8.GetBytes(TelemetryLoad.DeviceId(i)))];
        _onDelivery = report =>
        {
            if (report.Error.IsError)
            {
                Interlocked.Increment(ref _failures);
            }
        };
    }

    /// <summary>Records handed to the producer so far.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Produces one record per device and waits until every one is acknowledged.</summary>
    public async Task PreloadAsync()
    {
        for (var device = 0; device < _keys.Length; device++)
        {
            Produce();
        }

        await Task.Run(() => _producer.Flush(TimeSpan.FromMinutes(1)));
        ThrowOnFailures();
    }

    /// <summary>Starts the steady flow at <paramref name="ratePerSecond"/> records/s (0: none) until <see cref="StopAsync"/>.</summary>
    public void Start(int ratePerSecond)
    {
        if (_flow is not null)
        {
            throw new InvalidOperationException("The flow has already started.");
        }

        _flow = ratePerSecond == 0 ? Task.CompletedTask : Task.Run(() => FlowAsync(ratePerSecond, _stop.Token));
    }

    /// <summary>Stops the flow and waits until every record sent is acknowledged.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        if (_flow is not null)
        {
            await _flow;
        }

        await Task.Run(() => _producer.Flush(TimeSpan.FromMinutes(1)));
        ThrowOnFailures();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_flow is not null)
        {
            await _flow;
        }

        _producer.Dispose();
        _stop.Dispose();
    }

    // Paced by the clock, not by counting ticks: a late tick sends what is owed, so the rate holds on a busy machine.
    private async Task FlowAsync(int ratePerSecond, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Tick);
        var clock = Stopwatch.StartNew();
        long flowed = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var owed = (long)(clock.Elapsed.TotalSeconds * ratePerSecond);
                for (; flowed < owed; flowed++)
                {
                    Produce();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    private void Produce()
    {
        var sent = Interlocked.Increment(ref _sent) - 1;
        var device = (int)(sent % _keys.Length);
        var round = sent / _keys.Length;
        var value = string.Create(CultureInfo.InvariantCulture,
            $$$"""{"deviceId":"{{{TelemetryLoad.DeviceId(device)}}}","ts":{{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}},"metrics":{"temperature":{{{20 + (round % 50) * 0.1}}},"pressure":1.02,"humidity":{{{40 + (device % 10) + ((round % 7) * 0.1)}}}}}""");
        var message = new Message<byte[], byte[]> { Key = _keys[device], Value = Encoding.UTF8.GetBytes(value) };
        while (true)
        {
            try
            {
                _producer.Produce(TelemetryLoad.Topic, message, _onDelivery);
                return;
            }
            catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == Confluent.Kafka.ErrorCode.Local_QueueFull)
            {
                _producer.Poll(TimeSpan.FromMilliseconds(10));
            }
        }
    }

    private void ThrowOnFailures()
    {
        var failures = Interlocked.Read(ref _failures);
        if (failures > 0)
        {
            throw new InvalidOperationException($"{failures} telemetry records were not acknowledged.");
        }
    }
}
