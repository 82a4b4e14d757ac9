using DeviceTwins.Analytics.Alerts;
using DeviceTwins.Analytics.Detection;
using DeviceTwins.Analytics.Windows;

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

        WriteWindows(w, state.OpenWindows);
        WriteMap(w, state.Detectors, static (w, rules) => WriteMap(w, rules, DetectorStateCodec.Write));
        WriteMap(w, state.Heartbeats, DetectorStateCodec.Write);
        WriteMap(w, state.Alerts, static (w, rules) => WriteMap(w, rules, AlertStateCodec.Write));
        WriteList(w, state.PendingAlerts, AlertStateCodec.Write);
        WriteList(w, state.PendingWindows, WindowStateCodec.Write);
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

        state.OpenWindows = ReadWindows(ref r);
        state.Detectors = ReadMap(ref r, static (ref StateReader r) => ReadMap(ref r, DetectorStateCodec.Read));
        state.Heartbeats = ReadMap(ref r, DetectorStateCodec.ReadHeartbeat);
        state.Alerts = ReadMap(ref r, static (ref StateReader r) => ReadMap(ref r, AlertStateCodec.ReadState));
        state.PendingAlerts = ReadList(ref r, AlertStateCodec.Read);
        state.PendingWindows = ReadList(ref r, WindowStateCodec.ReadAggregate);
        if (!r.AtEnd)
        {
            throw new AnalyticsStateFormatException("bytes left after the last part");
        }

        return state;
    }

    private static void WriteList<T>(StateWriter w, List<T> items, Action<StateWriter, T> write)
    {
        w.UInt((uint)items.Count);
        foreach (var item in items)
        {
            write(w, item);
        }
    }

    // By reference from the set's array: no copy of each window, no delegate.
    private static void WriteWindows(StateWriter w, OpenWindowSet windows)
    {
        w.UInt((uint)windows.Count);
        for (var i = 0; i < windows.Count; i++)
        {
            WindowStateCodec.Write(w, windows[i]);
        }
    }

    private static OpenWindowSet ReadWindows(ref StateReader r)
    {
        var count = r.Count();
        var windows = new OpenWindowSet(count);
        for (var i = 0; i < count; i++)
        {
            windows.Add(WindowStateCodec.ReadOpen(ref r));
        }

        return windows;
    }

    private static void WriteMap<T>(StateWriter w, StateMap<T> map, Action<StateWriter, T> write)
    {
        w.UInt((uint)map.Count);
        foreach (var (name, item) in map)
        {
            w.String(name);
            write(w, item);
        }
    }

    private static List<T> ReadList<T>(ref StateReader r, StateItemReader<T> read)
    {
        var count = r.Count();
        var items = new List<T>(count);
        for (var i = 0; i < count; i++)
        {
            items.Add(read(ref r));
        }

        return items;
    }

    private static StateMap<T> ReadMap<T>(ref StateReader r, StateItemReader<T> read)
    {
        var count = r.Count();
        var map = new StateMap<T>(count);
        for (var i = 0; i < count; i++)
        {
            var name = r.Name();
            if (!map.TryAdd(name, read(ref r)))
            {
                throw new AnalyticsStateFormatException($"the name '{name}' twice in one map");
            }
        }

        return map;
    }
}
