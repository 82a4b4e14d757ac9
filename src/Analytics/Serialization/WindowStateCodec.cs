using DeviceTwins.Analytics.Windows;

namespace DeviceTwins.Analytics.Serialization;

/// <summary>Open windows and closed windows awaiting publication in the analytics state format.</summary>
internal static class WindowStateCodec
{
    public static void Write(StateWriter w, in OpenWindow window)
    {
        w.String(window.Metric);
        w.Duration(window.Size);
        w.Instant(window.Start);
        w.Instant(window.End);
        var s = window.Statistics;
        w.Int(s.Count);
        w.Double(s.Min);
        w.Double(s.Max);
        w.Double(s.Sum);
        w.Double(s.Mean);
        w.Double(s.M2);
        w.Double(s.First);
        w.Instant(s.FirstAt);
        w.Double(s.Last);
        w.Instant(s.LastAt);
        w.Int(window.Late);
    }

    public static OpenWindow ReadOpen(ref StateReader r)
    {
        var window = new OpenWindow { Metric = r.Name(), Size = r.Duration(), Start = r.Instant() };
        // Written for the format's sake and read past: a window's end is its start plus its size.
        _ = r.Instant();
        window.Statistics = new RunningStatistics
        {
            Count = r.SmallCount(),
            Min = r.Double(),
            Max = r.Double(),
            Sum = r.Double(),
            Mean = r.Double(),
            M2 = r.Double(),
            First = r.Double(),
            FirstAt = r.Instant(),
            Last = r.Double(),
            LastAt = r.Instant(),
        };
        window.Late = r.SmallCount();
        return window;
    }

    public static void Write(StateWriter w, WindowAggregate window)
    {
        w.String(window.DeviceId);
        w.String(window.Metric);
        w.Duration(window.Size);
        w.Instant(window.Start);
        w.Instant(window.End);
        w.Int(window.Count);
        w.Double(window.Min);
        w.Double(window.Max);
        w.Double(window.Sum);
        w.Double(window.Mean);
        w.Double(window.StdDev);
        w.Double(window.First);
        w.Double(window.Last);
        w.Int(window.Late);
    }

    public static WindowAggregate ReadAggregate(ref StateReader r) => new()
    {
        DeviceId = r.String(),
        Metric = r.Name(),
        Size = r.Duration(),
        Start = r.Instant(),
        End = r.Instant(),
        Count = r.Int(),
        Min = r.Double(),
        Max = r.Double(),
        Sum = r.Double(),
        Mean = r.Double(),
        StdDev = r.Double(),
        First = r.Double(),
        Last = r.Double(),
        Late = r.Int(),
    };
}
