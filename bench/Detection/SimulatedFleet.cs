using System.Buffers;
using System.Text.Json;
using DeviceTwins.Analytics;
using DeviceTwins.Analytics.Alerts;
using DeviceTwins.Simulator;

namespace DeviceTwins.DetectionBench;

/// <summary>
/// A simulated fleet (the simulator's device model, with the anomalies its options inject) for a span of event time through
/// the engine, without Kafka: the fleet's rate shared round-robin, each record at its event time, every twin ticked each
/// simulated second, as the twins' timers do.
/// </summary>
public static class SimulatedFleet
{
    /// <summary>Event time of the fleet's first record, when its anomalies' <see cref="AnomalyOptions.Start"/> counts from.</summary>
    public static readonly DateTimeOffset Start = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Every raise of the fleet <paramref name="simulator"/> describes, over <paramref name="span"/> of event time.</summary>
    public static IReadOnlyList<Alert> Raises(AnalyticsOptions options, SimulatorOptions simulator, TimeSpan span)
    {
        ArgumentNullException.ThrowIfNull(simulator);
        var analytics = new DeviceAnalytics(options);
        var random = new Random(simulator.Seed);
        var models = Enumerable.Range(1, simulator.Devices)
            .Select(i => new DeviceModel($"{simulator.DevicePrefix}-{i:D4}", new Random(random.Next()), simulator.Anomalies))
            .ToArray();
        var ratePerSecond = simulator.RatePerSecond;
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        var rules = models.Select(d => analytics.RulesFor(d.DeviceId, tags)).ToArray();
        var states = models.Select(_ => new DeviceAnalyticsState()).ToArray();
        var raises = new List<Alert>();
        var buffer = new ArrayBufferWriter<byte>(512);
        var step = TimeSpan.FromSeconds(1 / ratePerSecond);
        var lastTick = Start;
        var records = (long)(span.TotalSeconds * ratePerSecond);
        for (long i = 0; i < records; i++)
        {
            var now = Start + (step * i);
            var d = (int)(i % models.Length);
            buffer.ResetWrittenCount();
            if (models[d].WriteNext(now, buffer, now - Start))
            {
                using var json = JsonDocument.Parse(buffer.WrittenMemory);
                var metrics = json.RootElement.GetProperty("metrics").EnumerateObject().Select(p => new KeyValuePair<string, double>(p.Name, p.Value.GetDouble())).ToList();
                analytics.Observe(states[d], models[d].DeviceId, rules[d], now, metrics, now);
                Collect(states[d], raises);
            }

            if (now - lastTick >= TimeSpan.FromSeconds(1))
            {
                lastTick = now;
                for (var t = 0; t < models.Length; t++)
                {
                    analytics.Tick(states[t], models[t].DeviceId, rules[t], now);
                    Collect(states[t], raises);
                }
            }
        }

        return raises;
    }

    private static void Collect(DeviceAnalyticsState state, List<Alert> raises)
    {
        raises.AddRange(state.PendingAlerts.Where(a => a.Status == AlertStatus.Raised));
        state.PendingAlerts.Clear();
        state.PendingWindows.Clear();
    }
}
