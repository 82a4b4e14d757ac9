using DeviceTwins.Analytics;
using DeviceTwins.Analytics.Alerts;
using DeviceTwins.Nab.Platform;

namespace DeviceTwins.Nab.Detectors;

/// <summary>
/// The platform's own analytics engine, in process: each series is one device's telemetry (metric "value", the series'
/// timestamps as event times, processed at event time) fed record by record through <see cref="DeviceAnalytics"/>, and
/// every alert raised, of any rule, is a detection at the record that raised it.
/// </summary>
/// <remarks>Between records nothing calls <see cref="DeviceAnalytics.Tick"/>: a replay runs far ahead of processing time,
/// so a platform replaying the series finds nothing due between records either (see the pipeline replay).</remarks>
public sealed class DeviceTwinsDetector(AnalyticsOptions options) : ISeriesDetector
{
    private static readonly IReadOnlyDictionary<string, string> NoTags = new Dictionary<string, string>(StringComparer.Ordinal);
    private readonly DeviceAnalytics _analytics = new(options);

    /// <summary>The platform's default configuration.</summary>
    public DeviceTwinsDetector()
        : this(new AnalyticsOptions())
    {
    }

    public string Name => "devicetwins";

    public IReadOnlyList<bool> Detect(string seriesKey, IReadOnlyList<DateTime> timestamps, IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(timestamps);
        ArgumentNullException.ThrowIfNull(values);
        if (timestamps.Count != values.Count)
        {
            throw new ArgumentException($"{seriesKey} has {timestamps.Count} timestamps but {values.Count} values.", nameof(values));
        }

        var deviceId = NabDevices.DeviceId(seriesKey);
        var rules = _analytics.RulesFor(deviceId, NoTags);
        var state = new DeviceAnalyticsState();
        var metrics = new KeyValuePair<string, double>[1];
        var detections = new bool[values.Count];
        for (var row = 0; row < values.Count; row++)
        {
            var at = NabDevices.EventTime(timestamps[row]);
            metrics[0] = new KeyValuePair<string, double>(NabDevices.Metric, values[row]);
            _analytics.Observe(state, deviceId, rules, at, metrics, at);
            foreach (var alert in state.PendingAlerts)
            {
                detections[row] |= alert.Status == AlertStatus.Raised;
            }

            // The outbox is what a twin publishes after each write; here it is read and emptied record by record.
            state.PendingAlerts.Clear();
            state.PendingWindows.Clear();
        }

        return detections;
    }
}
