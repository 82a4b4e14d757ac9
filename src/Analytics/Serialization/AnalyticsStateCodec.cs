using DeviceTwins.Analytics.Alerts;
using DeviceTwins.Analytics.Detection;

namespace DeviceTwins.Analytics.Serialization;

/// <summary>
/// The compact binary form of a twin's analytics state, written with the twin in every state write: a format version
/// byte, then each part in a fixed order (README, "Analytics state format"). A change to a state class adds a version;
/// every earlier version stays readable.
/// </summary>
public static class AnalyticsStateCodec
{
    /// <summary>The version this code writes.</summary>
    public const byte Version = 1;

    [ThreadStatic]
    private static StateWriter? t_writer;

    /// <summary>
    /// Encodes <paramref name="state"/> into a writer owned by the calling thread; the span is valid until the thread's
    /// next call.
    /// </summary>
    public static ReadOnlySpan<byte> Encode(DeviceAnalyticsState state)
    {
        var writer = t_writer ??= new StateWriter(4096);
        Write(writer, state);
        return writer.Written;
    }

    /// <summary>Encodes <paramref name="state"/> into <paramref name="w"/> after resetting it.</summary>
    public static void Write(StateWriter w, DeviceAnalyticsState state)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(state);
        w.Reset();
        w.Byte(Version);
        w.Instant(state.EventWatermark);
        w.Instant(state.Watermark);
        w.Instant(state.LastArrival);
        w.Int(state.LateRecords);
        w.Int(state.OutOfOrderRecords);

        w.UInt((uint)state.OpenWindows.Count);
        foreach (var window in state.OpenWindows)
        {
            WindowStateCodec.Write(w, window);
        }

        w.UInt((uint)state.Detectors.Count);
        foreach (var (metric, rules) in state.Detectors)
        {
            w.String(metric);
            w.UInt((uint)rules.Count);
            foreach (var (rule, detector) in rules)
            {
                w.String(rule);
                DetectorStateCodec.Write(w, detector);
            }
        }

        w.UInt((uint)state.Heartbeats.Count);
        foreach (var (rule, heartbeat) in state.Heartbeats)
        {
            w.String(rule);
            DetectorStateCodec.Write(w, heartbeat);
        }

        w.UInt((uint)state.Alerts.Count);
        foreach (var (metric, rules) in state.Alerts)
        {
            w.String(metric);
            w.UInt((uint)rules.Count);
            foreach (var (rule, alert) in rules)
            {
                w.String(rule);
                AlertStateCodec.Write(w, alert);
            }
        }

        w.UInt((uint)state.PendingAlerts.Count);
        foreach (var alert in state.PendingAlerts)
        {
            AlertStateCodec.Write(w, alert);
        }

        w.UInt((uint)state.PendingWindows.Count);
        foreach (var window in state.PendingWindows)
        {
            WindowStateCodec.Write(w, window);
        }
    }

    /// <summary>Decodes a state written by this or an earlier version.</summary>
    public static DeviceAnalyticsState Read(ReadOnlySpan<byte> bytes)
    {
        var r = new StateReader(bytes);
        var version = r.Byte();
        if (version != Version)
        {
            throw new AnalyticsStateFormatException($"format version {version}; this version reads {Version}");
        }

        var state = new DeviceAnalyticsState
        {
            EventWatermark = r.NullableInstant(),
            Watermark = r.NullableInstant(),
            LastArrival = r.NullableInstant(),
            LateRecords = r.Int(),
            OutOfOrderRecords = r.Int(),
        };

        var windows = r.Count();
        state.OpenWindows = new(windows);
        for (var i = 0; i < windows; i++)
        {
            state.OpenWindows.Add(WindowStateCodec.ReadOpen(ref r));
        }

        var metrics = r.Count();
        state.Detectors = new(metrics, StringComparer.Ordinal);
        for (var i = 0; i < metrics; i++)
        {
            var metric = r.String();
            var count = r.Count();
            var rules = new Dictionary<string, DetectorState>(count, StringComparer.Ordinal);
            for (var j = 0; j < count; j++)
            {
                Add(rules, r.String(), DetectorStateCodec.Read(ref r));
            }

            Add(state.Detectors, metric, rules);
        }

        var heartbeats = r.Count();
        state.Heartbeats = new(heartbeats, StringComparer.Ordinal);
        for (var i = 0; i < heartbeats; i++)
        {
            Add(state.Heartbeats, r.String(), DetectorStateCodec.ReadHeartbeat(ref r));
        }

        var alertMetrics = r.Count();
        state.Alerts = new(alertMetrics, StringComparer.Ordinal);
        for (var i = 0; i < alertMetrics; i++)
        {
            var metric = r.String();
            var count = r.Count();
            var rules = new Dictionary<string, AlertState>(count, StringComparer.Ordinal);
            for (var j = 0; j < count; j++)
            {
                Add(rules, r.String(), AlertStateCodec.ReadState(ref r));
            }

            Add(state.Alerts, metric, rules);
        }

        var pendingAlerts = r.Count();
        state.PendingAlerts = new(pendingAlerts);
        for (var i = 0; i < pendingAlerts; i++)
        {
            state.PendingAlerts.Add(AlertStateCodec.Read(ref r));
        }

        var pendingWindows = r.Count();
        state.PendingWindows = new(pendingWindows);
        for (var i = 0; i < pendingWindows; i++)
        {
            state.PendingWindows.Add(WindowStateCodec.ReadAggregate(ref r));
        }

        if (!r.AtEnd)
        {
            throw new AnalyticsStateFormatException("bytes left after the last part");
        }

        return state;
    }

    private static void Add<T>(Dictionary<string, T> map, string key, T value)
    {
        if (!map.TryAdd(key, value))
        {
            throw new AnalyticsStateFormatException($"the name '{key}' twice in one map");
        }
    }
}
