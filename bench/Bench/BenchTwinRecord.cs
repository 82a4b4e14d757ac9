using System.Globalization;
using System.Text;
using DeviceTwins.Analytics;
using DeviceTwins.Analytics.Rules;
using DeviceTwins.Grains.Telemetry;
using DeviceTwins.Grains.Twin;

namespace DeviceTwins.Bench;

/// <summary>One record of the in-process twin benchmarks, applied as the grain applies it: parsed, merged into the twin, observed.</summary>
internal static class BenchTwinRecord
{
    /// <summary>Applies device <paramref name="device"/>'s record of <paramref name="round"/> (3 metrics, event time <paramref name="at"/>) to <paramref name="state"/>.</summary>
    public static void Apply(DeviceAnalytics analytics, TelemetryLimits limits, DeviceTwinState state, DeviceRules rules, List<KeyValuePair<string, double>> buffer, int device, int round, DateTimeOffset at)
    {
        var id = TelemetryLoad.DeviceId(device);
        var value = string.Create(CultureInfo.InvariantCulture,
            $$$"""{"deviceId":"{{{id}}}","ts":{{{at.ToUnixTimeMilliseconds()}}},"metrics":{"temperature":{{{20 + (round % 50) * 0.1}}},"pressure":1.02,"humidity":{{{40 + (device % 10) + ((round % 7) * 0.1)}}}}}""");
        if (!TelemetryParser.TryParse(Encoding.UTF8.GetBytes(id), Encoding.UTF8.GetBytes(value), TelemetryLoad.Topic, device % 48, round, limits, at, out var telemetry, out var error))
        {
            throw new InvalidOperationException(error);
        }

        TwinUpdater.Apply(state, telemetry!, at);
        buffer.Clear();
        foreach (var m in telemetry!.Metrics)
        {
            buffer.Add(new(m.Name, m.Value));
        }

        analytics.Observe(state.Analytics, id, rules, telemetry.Timestamp, buffer, at);
    }
}
