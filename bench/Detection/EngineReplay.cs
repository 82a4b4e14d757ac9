using DeviceTwins.Analytics;
using DeviceTwins.Analytics.Alerts;
using DeviceTwins.DetectionBench.Series;

namespace DeviceTwins.DetectionBench;

/// <summary>
/// Replays a generated series through the engine every twin runs (<see cref="DeviceAnalytics"/>), one record at a time at
/// its event time, as the NAB replay does, and returns the records at which any rule raised an alert.
/// </summary>
public sealed class EngineReplay(AnalyticsOptions options)
{
    /// <summary>The metric every generated series is.</summary>
    public const string Metric = "value";

    private static readonly IReadOnlyDictionary<string, string> NoTags = new Dictionary<string, string>(StringComparer.Ordinal);
    private readonly DeviceAnalytics _analytics = new(options);

    /// <summary>The indexes of the records that raised, in order, and the reason of each raise.</summary>
    public IReadOnlyList<(int Index, string Reason)> Raises(GeneratedSeries series)
    {
        ArgumentNullException.ThrowIfNull(series);
        var deviceId = $"gen-{series.Name}";
        var rules = _analytics.RulesFor(deviceId, NoTags);
        var state = new DeviceAnalyticsState();
        var metrics = new KeyValuePair<string, double>[1];
        var raises = new List<(int, string)>();
        for (var i = 0; i < series.Values.Length; i++)
        {
            var at = series.At(i);
            metrics[0] = new KeyValuePair<string, double>(Metric, series.Values[i]);
            _analytics.Observe(state, deviceId, rules, at, metrics, at);
            foreach (var alert in state.PendingAlerts)
            {
                if (alert.Status == AlertStatus.Raised)
                {
                    raises.Add((i, alert.Reason));
                }
            }

            state.PendingAlerts.Clear();
            state.PendingWindows.Clear();
        }

        return raises;
    }
}
