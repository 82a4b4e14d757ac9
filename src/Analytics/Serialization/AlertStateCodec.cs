using DeviceTwins.Analytics.Alerts;

namespace DeviceTwins.Analytics.Serialization;

/// <summary>Alerts and their per-rule states in the analytics state format.</summary>
internal static class AlertStateCodec
{
    public static void Write(StateWriter w, AlertState state)
    {
        w.Bool(state.Current is not null);
        if (state.Current is not null)
        {
            Write(w, state.Current);
        }

        w.Int(state.Raises);
        w.UInt((uint)state.RecentRaises.Count);
        foreach (var raise in state.RecentRaises)
        {
            w.Instant(raise);
        }

        w.Instant(state.HeldSince);
    }

    public static AlertState ReadState(ref StateReader r)
    {
        var state = new AlertState { Current = r.Bool() ? Read(ref r) : null, Raises = r.Int() };
        var raises = r.Count(9);
        state.RecentRaises = new List<DateTimeOffset>(raises);
        for (var i = 0; i < raises; i++)
        {
            state.RecentRaises.Add(r.Instant());
        }

        state.HeldSince = r.NullableInstant();
        return state;
    }

    public static void Write(StateWriter w, Alert alert)
    {
        w.String(alert.Id);
        w.String(alert.DeviceId);
        w.String(alert.Rule);
        w.String(alert.Detector);
        w.String(alert.Metric);
        w.UInt((uint)alert.Severity);
        w.UInt((uint)alert.Status);
        w.Double(alert.Value);
        w.Instant(alert.EventTime);
        w.Instant(alert.RaisedAt);
        w.Instant(alert.AcknowledgedAt);
        w.Instant(alert.ClearedAt);
        w.Bool(alert.Window is not null);
        if (alert.Window is { } window)
        {
            w.Instant(window.Start);
            w.Instant(window.End);
            w.Int(window.Count);
            w.Double(window.Min);
            w.Double(window.Max);
            w.Double(window.Mean);
            w.Double(window.StdDev);
        }

        w.String(alert.Reason);
        Write(w, alert.Raise);
        Write(w, alert.Clear);
        w.Bool(alert.Flapping);
    }

    public static Alert Read(ref StateReader r) => new()
    {
        Id = r.String(),
        DeviceId = r.String(),
        Rule = r.Name(),
        Detector = r.Name(),
        Metric = r.NullableName(),
        Severity = (AlertSeverity)r.UInt(),
        Status = (AlertStatus)r.UInt(),
        Value = r.Double(),
        EventTime = r.Instant(),
        RaisedAt = r.Instant(),
        AcknowledgedAt = r.NullableInstant(),
        ClearedAt = r.NullableInstant(),
        Window = r.Bool()
            ? new AlertWindow
            {
                Start = r.Instant(),
                End = r.Instant(),
                Count = r.Int(),
                Min = r.Double(),
                Max = r.Double(),
                Mean = r.Double(),
                StdDev = r.Double(),
            }
            : null,
        Reason = r.String(),
        Raise = ReadCause(ref r),
        Clear = ReadCause(ref r),
        Flapping = r.Bool(),
    };

    private static void Write(StateWriter w, AlertCause? cause)
    {
        w.Bool(cause is not null);
        if (cause is null)
        {
            return;
        }

        w.Double(cause.Value);
        w.Instant(cause.EventTime);
        w.String(cause.Reason);
        w.String(cause.Statistic);
        w.Double(cause.Score);
        w.Double(cause.Threshold);
    }

    private static AlertCause? ReadCause(ref StateReader r) => r.Bool()
        ? new AlertCause
        {
            Value = r.Double(),
            EventTime = r.Instant(),
            Reason = r.String(),
            Statistic = r.NullableName(),
            Score = r.NullableDouble(),
            Threshold = r.NullableDouble(),
        }
        : null;
}
