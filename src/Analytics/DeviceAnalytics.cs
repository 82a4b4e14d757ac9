using System.Collections.Concurrent;
using DeviceTwins.Analytics.Alerts;
using DeviceTwins.Analytics.Detection;
using DeviceTwins.Analytics.Rules;
using DeviceTwins.Analytics.Windows;

namespace DeviceTwins.Analytics;

/// <summary>
/// The analytics of every twin: feeds each record to the device's windows and detectors, turns conditions into alert
/// changes, and queues closed windows and alert changes in the state's outbox. One instance serves all devices; all
/// per-device memory is in <see cref="DeviceAnalyticsState"/>. Records drive everything on event time;
/// <see cref="Tick"/> advances a quiet device's clock on processing time so its windows close and its heartbeat fires.
/// </summary>
public sealed class DeviceAnalytics
{
    private const string DeviceLevel = "";
    private const int MaxSharedRuleSets = 1024;
    private readonly CompiledRule[] _rules;
    private readonly ConcurrentDictionary<string, DeviceRules> _shared = new(StringComparer.Ordinal);

    /// <summary>Builds the windows, detectors and rules of <paramref name="options"/>, which must be valid.</summary>
    public DeviceAnalytics(AnalyticsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate().ToList();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }

        Windows = new TumblingWindows(options.Windows);
        Lifecycle = new AlertLifecycle(options.Alerts);
        RetainedWindows = options.Windows.Retained;
        RetainedAlerts = options.Alerts.Retained;
        _rules = [.. options.EffectiveRules.Select((r, i) => new CompiledRule(r, i))];
    }

    /// <summary>Closed windows a twin retains once published (<c>Windows:Retained</c>).</summary>
    public int RetainedWindows { get; }

    /// <summary>Cleared alerts a twin retains once published (<c>Alerts:Retained</c>).</summary>
    public int RetainedAlerts { get; }

    /// <summary>The tumbling windows.</summary>
    public TumblingWindows Windows { get; }

    /// <summary>The alert lifecycle.</summary>
    public AlertLifecycle Lifecycle { get; }

    /// <summary>Every rule, in order.</summary>
    public IReadOnlyList<CompiledRule> Rules => _rules;

    /// <summary>
    /// Resolves the rules in force for a device. Devices selected by the same rules share one instance (most of a fleet,
    /// with the default rules), so a twin holds a reference, not its own copy of the per-metric rule lists.
    /// </summary>
    public DeviceRules RulesFor(string deviceId, IReadOnlyDictionary<string, string> tags)
    {
        var selected = DeviceRules.Select(_rules, deviceId, tags);
        var key = string.Join(',', selected.Select(r => r.Order));
        if (_shared.TryGetValue(key, out var rules))
        {
            return rules;
        }

        rules = new DeviceRules(selected);
        return _shared.Count < MaxSharedRuleSets ? _shared.GetOrAdd(key, rules) : rules;
    }

    /// <summary>Applies one record: its metrics at event time <paramref name="timestamp"/>, processed at <paramref name="now"/>.</summary>
    public ObserveResult Observe(DeviceAnalyticsState state, string deviceId, DeviceRules rules, DateTimeOffset timestamp, IReadOnlyList<KeyValuePair<string, double>> metrics, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(metrics);

        foreach (var rule in rules.DeviceLevel)
        {
            var heartbeat = HeartbeatOf(state, rule);
            if (heartbeat.LastSeen is { } seen && timestamp < seen)
            {
                continue;
            }

            var verdict = rule.Heartbeat!.Observe(heartbeat, timestamp);
            if (verdict.Anomalous || IsActive(FindAlert(state, DeviceLevel, rule.Name)))
            {
                Change(state, Lifecycle.Apply(AlertOf(state, DeviceLevel, rule.Name), Subject(deviceId, rule, null), verdict.Anomalous, verdict.Score, timestamp, verdict.Reason, null, verdict.Evidence));
            }
        }

        if (state.EventWatermark is null || timestamp > state.EventWatermark)
        {
            state.EventWatermark = timestamp;
        }

        if (state.Watermark is null || state.EventWatermark > state.Watermark)
        {
            state.Watermark = state.EventWatermark;
        }

        state.LastArrival = now;
        var watermark = state.Watermark.Value;
        var late = false;
        var outOfOrder = false;
        foreach (var (metric, value) in metrics)
        {
            late |= Windows.Add(state.OpenWindows, metric, value, timestamp, watermark) > 0;
            foreach (var rule in rules.For(metric))
            {
                var detector = DetectorOf(state, metric, rule);
                if (detector.LastTimestamp is { } last && timestamp < last)
                {
                    outOfOrder = true;
                    continue;
                }

                var verdict = rule.Detector!.Observe(detector, metric, value, timestamp);

                // Most records neither start nor end a condition: an alert state exists only once a rule has raised.
                if (verdict.Anomalous || IsActive(FindAlert(state, metric, rule.Name)))
                {
                    Change(state, Lifecycle.Apply(AlertOf(state, metric, rule.Name), Subject(deviceId, rule, metric), verdict.Anomalous, value, timestamp, verdict.Reason, WindowOf(state, metric, timestamp), verdict.Evidence));
                }
            }
        }

        if (late)
        {
            state.LateRecords++;
        }

        if (outOfOrder)
        {
            state.OutOfOrderRecords++;
        }

        CloseWindows(state, deviceId, watermark);
        return new ObserveResult(late, outOfOrder);
    }

    /// <summary>
    /// Advances a quiet device's clock to its latest event time plus the processing time since its latest record,
    /// closing the windows, firing the heartbeats and releasing the held alerts that are due by then.
    /// </summary>
    public void Tick(DeviceAnalyticsState state, string deviceId, DeviceRules rules, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(rules);
        if (DeviceClock(state, now) is not { } clock)
        {
            return;
        }

        // The clock never goes back (a state saved without a watermark takes the clock as it is).
        if (state.Watermark is not { } watermark || clock > watermark)
        {
            state.Watermark = clock;
        }

        CloseWindows(state, deviceId, state.Watermark.Value);
        foreach (var rule in rules.DeviceLevel)
        {
            var verdict = rule.Heartbeat!.Check(HeartbeatOf(state, rule), clock);
            if (verdict.Anomalous)
            {
                Change(state, Lifecycle.Apply(AlertOf(state, DeviceLevel, rule.Name), Subject(deviceId, rule, null), true, verdict.Score, clock, verdict.Reason, null, verdict.Evidence));
            }
        }

        foreach (var byRule in state.Alerts.Values)
        {
            foreach (var alert in byRule.Values)
            {
                Change(state, Lifecycle.Release(alert, clock));
            }
        }
    }

    /// <summary>
    /// The processing time at which <see cref="Tick"/> next has work, or null when nothing is due; a window's close is
    /// due <paramref name="quietCloseDelay"/> after its end plus grace (<see cref="TumblingWindows.QuietCloseDelayOf(string)"/>).
    /// </summary>
    public DateTimeOffset? NextDue(DeviceAnalyticsState state, DeviceRules rules, TimeSpan quietCloseDelay = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(rules);
        if (state.EventWatermark is not { } watermark || state.LastArrival is not { } arrival)
        {
            return null;
        }

        var due = Windows.NextClose(state.OpenWindows) + quietCloseDelay;
        foreach (var rule in rules.DeviceLevel)
        {
            due = Earliest(due, rule.Heartbeat!.NextCheck(HeartbeatOf(state, rule)));
        }

        foreach (var byRule in state.Alerts.Values)
        {
            foreach (var alert in byRule.Values)
            {
                due = Earliest(due, Lifecycle.NextRelease(alert));
            }
        }

        // Device-clock instants map to processing time through the latest record's arrival.
        return due is { } at ? arrival + (at > watermark ? at - watermark : TimeSpan.Zero) : null;
    }

    /// <summary>
    /// Forgets what rules no longer in force (configuration changed) left behind: their active alerts are cleared at
    /// the device's clock <paramref name="at"/> and their detector states dropped, so memory stays bounded.
    /// </summary>
    public void Retire(DeviceAnalyticsState state, DeviceRules rules, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(rules);
        foreach (var (metric, byRule) in state.Alerts)
        {
            var inForce = metric.Length == 0 ? rules.DeviceLevel : rules.For(metric);
            foreach (var (rule, alert) in byRule)
            {
                if (!inForce.Any(r => string.Equals(r.Name, rule, StringComparison.Ordinal)))
                {
                    Change(state, AlertLifecycle.Retire(alert, at));
                }
            }
        }

        foreach (var (metric, byRule) in state.Detectors)
        {
            foreach (var rule in byRule.Keys.Where(name => !rules.For(metric).Any(r => string.Equals(r.Name, name, StringComparison.Ordinal))).ToList())
            {
                byRule.Remove(rule);
            }
        }

        foreach (var rule in state.Heartbeats.Keys.Where(name => !rules.DeviceLevel.Any(r => string.Equals(r.Name, name, StringComparison.Ordinal))).ToList())
        {
            state.Heartbeats.Remove(rule);
        }
    }

    /// <summary>Acknowledges the alert <paramref name="alertId"/> at <paramref name="now"/>; false when the device has no such active alert.</summary>
    public bool Acknowledge(DeviceAnalyticsState state, string alertId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        foreach (var byRule in state.Alerts.Values)
        {
            foreach (var alert in byRule.Values)
            {
                if (alert.Current is { } current && string.Equals(current.Id, alertId, StringComparison.Ordinal) && current.Status != AlertStatus.Cleared)
                {
                    var change = AlertLifecycle.Acknowledge(alert, now);
                    if (change is not null)
                    {
                        state.PendingAlerts.Add(change);
                    }

                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The device's active alerts and the <paramref name="cleared"/> ones (kept outside the state), newest raise first.</summary>
    public static IReadOnlyList<Alert> AlertsOf(DeviceAnalyticsState state, IEnumerable<Alert> cleared)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(cleared);
        var active = state.Alerts.Values.SelectMany(a => a.Values).Select(a => a.Current).OfType<Alert>().Where(a => a.Status != AlertStatus.Cleared);
        return [.. active.Concat(cleared).OrderByDescending(a => a.RaisedAt).ThenBy(a => a.Id, StringComparer.Ordinal)];
    }

    /// <summary>The device clock at processing time <paramref name="now"/>: latest event time plus the time since the latest record.</summary>
    public static DateTimeOffset? DeviceClock(DeviceAnalyticsState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.EventWatermark is not { } watermark || state.LastArrival is not { } arrival)
        {
            return null;
        }

        return now > arrival ? watermark + (now - arrival) : watermark;
    }

    // Closed windows go to the outbox only: once published, the twin keeps them in its history store, not in this state.
    private void CloseWindows(DeviceAnalyticsState state, string deviceId, DateTimeOffset watermark) =>
        Windows.Close(state.OpenWindows, watermark, deviceId, state.PendingWindows);

    private void Change(DeviceAnalyticsState state, Alert? change)
    {
        if (change is null)
        {
            return;
        }

        state.PendingAlerts.Add(change);
    }

    private AlertWindow? WindowOf(DeviceAnalyticsState state, string metric, DateTimeOffset timestamp)
    {
        if (Windows.Current(state.OpenWindows, metric, timestamp) is not { } window)
        {
            return null;
        }

        var s = window.Statistics;
        return new AlertWindow { Start = window.Start, End = window.End, Count = s.Count, Min = s.Min, Max = s.Max, Mean = s.Mean, StdDev = s.StdDev };
    }

    private static AlertSubject Subject(string deviceId, CompiledRule rule, string? metric) =>
        new(deviceId, rule.Name, rule.DetectorName, metric, rule.Severity);

    private static DetectorState DetectorOf(DeviceAnalyticsState state, string metric, CompiledRule rule)
    {
        if (!state.Detectors.TryGetValue(metric, out var byRule))
        {
            byRule = new StateMap<DetectorState>();
            state.Detectors[metric] = byRule;
        }

        if (!byRule.TryGetValue(rule.Name, out var detector) || !IsStateOf(rule.Options.Kind, detector))
        {
            // A rule whose detector changed in configuration starts afresh.
            detector = rule.Detector!.CreateState();
            byRule[rule.Name] = detector;
        }

        return detector;
    }

    private static bool IsStateOf(DetectorKind kind, DetectorState state) => kind switch
    {
        DetectorKind.Threshold => state is ThresholdState,
        DetectorKind.ZScore => state is ZScoreState,
        DetectorKind.RateOfChange => state is RateOfChangeState,
        DetectorKind.Flatline => state is FlatlineState,
        _ => false,
    };

    private static HeartbeatState HeartbeatOf(DeviceAnalyticsState state, CompiledRule rule)
    {
        if (!state.Heartbeats.TryGetValue(rule.Name, out var heartbeat))
        {
            heartbeat = new HeartbeatState();
            state.Heartbeats[rule.Name] = heartbeat;
        }

        return heartbeat;
    }

    private static AlertState? FindAlert(DeviceAnalyticsState state, string metric, string rule) =>
        state.Alerts.TryGetValue(metric, out var byRule) && byRule.TryGetValue(rule, out var alert) ? alert : null;

    private static bool IsActive(AlertState? alert) => alert?.Current is { Status: not AlertStatus.Cleared };

    private static AlertState AlertOf(DeviceAnalyticsState state, string metric, string rule)
    {
        if (!state.Alerts.TryGetValue(metric, out var byRule))
        {
            byRule = new StateMap<AlertState>();
            state.Alerts[metric] = byRule;
        }

        if (!byRule.TryGetValue(rule, out var alert))
        {
            alert = new AlertState();
            byRule[rule] = alert;
        }

        return alert;
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;
}
