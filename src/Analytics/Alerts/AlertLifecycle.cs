namespace DeviceTwins.Analytics.Alerts;

/// <summary>
/// Turns a detector's condition into alert changes: at most one active alert per rule and metric, raised when the
/// condition starts and cleared when it ends, except that a rule raising <see cref="AlertOptions.FlapRaises"/> times
/// within <see cref="AlertOptions.FlapWindow"/> is held active until its condition has stayed clear for a whole period.
/// Everything runs on event time, so a replay of the same records makes the same changes with the same ids.
/// </summary>
public sealed class AlertLifecycle(AlertOptions options)
{
    private readonly AlertOptions _options = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>Applies the condition after a record; returns the alert change it causes, or null.</summary>
    public Alert? Apply(AlertState state, AlertSubject subject, bool anomalous, double value, DateTimeOffset at, string reason, AlertWindow? window, Detection.DetectorEvidence? evidence = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        var current = state.Current;
        var active = current is not null && current.Status != AlertStatus.Cleared;
        if (anomalous)
        {
            if (active)
            {
                // The condition is back before a held clear: the alert simply stays active.
                state.HeldSince = null;
                return null;
            }

            state.Raises++;
            state.RecentRaises.Add(at);
            if (state.RecentRaises.Count > _options.FlapRaises)
            {
                state.RecentRaises.RemoveAt(0);
            }

            state.HeldSince = null;
            state.Current = new Alert
            {
                Id = AlertIds.Of(subject, state.Raises, at),
                DeviceId = subject.DeviceId,
                Rule = subject.Rule,
                Detector = subject.Detector,
                Metric = subject.Metric,
                Severity = subject.Severity,
                Status = AlertStatus.Raised,
                Value = value,
                EventTime = at,
                RaisedAt = at,
                Window = window,
                Reason = reason,
                Raise = AlertCause.Of(value, at, reason, evidence),
                Flapping = IsFlapping(state),
            };
            return state.Current;
        }

        if (!active)
        {
            return null;
        }

        if (IsFlapping(state))
        {
            state.HeldSince ??= at;
            if (at - state.HeldSince.Value < _options.FlapWindow)
            {
                return null;
            }

            reason = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{reason}; clear for {_options.FlapWindow.TotalSeconds:0.###} s after flapping");
        }

        return Clear(state, value, at, reason, window, evidence);
    }

    /// <summary>Clears a held (flapping) alert whose condition has stayed clear for the flap period by <paramref name="now"/>; returns the change, or null.</summary>
    public Alert? Release(AlertState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.HeldSince is not { } since || state.Current is not { Status: not AlertStatus.Cleared } current || now - since < _options.FlapWindow)
        {
            return null;
        }

        var reason = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"condition clear for {_options.FlapWindow.TotalSeconds:0.###} s after flapping");
        return Clear(state, current.Value, since + _options.FlapWindow, reason, current.Window);
    }

    /// <summary>The event time at which a held alert would be released, or null when none is held.</summary>
    public DateTimeOffset? NextRelease(AlertState state) =>
        state?.HeldSince is { } since && state.Current is { Status: not AlertStatus.Cleared } ? since + _options.FlapWindow : null;

    /// <summary>Clears the active alert of a rule that is no longer in force; returns the change, or null when none is active.</summary>
    public static Alert? Retire(AlertState state, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Current is { Status: not AlertStatus.Cleared } current
            ? Clear(state, current.Value, at, "rule no longer in force for this device and metric", current.Window)
            : null;
    }

    /// <summary>Acknowledges the active alert; returns the change, or null when it is not raised (already acknowledged or cleared).</summary>
    public static Alert? Acknowledge(AlertState state, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Current is not { Status: AlertStatus.Raised } current)
        {
            return null;
        }

        state.Current = current with { Status = AlertStatus.Acknowledged, AcknowledgedAt = at };
        return state.Current;
    }

    private static Alert Clear(AlertState state, double value, DateTimeOffset at, string reason, AlertWindow? window, Detection.DetectorEvidence? evidence = null)
    {
        var current = state.Current!;
        state.HeldSince = null;
        state.Current = current with
        {
            Status = AlertStatus.Cleared,
            Value = value,
            EventTime = at,

            // A heartbeat raised on the extrapolated device clock can be ended by a delayed record written before the raise.
            ClearedAt = at > current.RaisedAt ? at : current.RaisedAt,
            Reason = reason,
            Window = window,

            // An alert raised before raises were kept (an older state) gets its raise from what it still holds.
            Raise = current.Raise ?? AlertCause.Of(current.Value, current.RaisedAt, current.Reason, null),
            Clear = AlertCause.Of(value, at, reason, evidence),
        };
        return state.Current;
    }

    private bool IsFlapping(AlertState state) =>
        state.RecentRaises.Count >= _options.FlapRaises && state.RecentRaises[^1] - state.RecentRaises[0] <= _options.FlapWindow;
}
