using DeviceTwins.Analytics;
using DeviceTwins.Analytics.Alerts;
using DeviceTwins.Analytics.Detection;
using DeviceTwins.Analytics.Rules;
using DeviceTwins.Analytics.Windows;
using static DeviceTwins.UnitTests.Analytics.Engine.EngineScenario;

namespace DeviceTwins.UnitTests.Analytics.Engine;

public sealed class DeviceAnalyticsObserveTests
{
    private readonly DeviceAnalytics engine = CreateEngine(Overheat());
    private readonly DeviceAnalyticsState state = new();
    private readonly DeviceRules rules;

    public DeviceAnalyticsObserveTests()
    {
        rules = engine.RulesFor(Device, NoTags);
    }

    [Fact]
    public void Observe_InjectedAnomaly_RaisesOneAlertWithTheCurrentWindow()
    {
        Temperatures((0, 50), (10, 60), (20, 60), (30, 90));

        var expected = new Alert
        {
            Id = AlertIds.Of(OverheatSubject, 1, At(30)),
            DeviceId = Device,
            Rule = "overheat",
            Detector = "threshold",
            Metric = "temperature",
            Severity = AlertSeverity.Critical,
            Status = AlertStatus.Raised,
            Value = 90,
            EventTime = At(30),
            RaisedAt = At(30),
            Window = new AlertWindow { Start = At(0), End = At(60), Count = 4, Min = 50, Max = 90, Mean = 65, StdDev = 15 },
            Reason = "temperature 90 above 80 for 0 s",
            Raise = new AlertCause { Value = 90, EventTime = At(30), Reason = "temperature 90 above 80 for 0 s", Statistic = "value", Score = 90, Threshold = 80 },
        };
        Assert.Equal([expected], state.PendingAlerts);
        Assert.Equal([expected], DeviceAnalytics.AlertsOf(state, Cleared(state)));

        Temperatures((35, 92), (45, 99));

        Assert.Equal([expected], state.PendingAlerts);
    }

    [Fact]
    public void Observe_AnomalyEnds_ClearsTheAlertWithTheWindowAtTheClear()
    {
        Temperatures((0, 50), (10, 60), (20, 60), (30, 90), (40, 55));

        var raised = state.PendingAlerts[0];
        var cleared = raised with
        {
            Status = AlertStatus.Cleared,
            Value = 55,
            EventTime = At(40),
            ClearedAt = At(40),
            Reason = "temperature 55 back below 70",
            Window = new AlertWindow { Start = At(0), End = At(60), Count = 5, Min = 50, Max = 90, Mean = 63, StdDev = 14 },
            Raise = new AlertCause { Value = 90, EventTime = At(30), Reason = "temperature 90 above 80 for 0 s", Statistic = "value", Score = 90, Threshold = 80 },
            Clear = new AlertCause { Value = 55, EventTime = At(40), Reason = "temperature 55 back below 70", Statistic = "value", Score = 55, Threshold = 70 },
        };
        Assert.Equal([raised, cleared], state.PendingAlerts);
        Assert.Equal([cleared], DeviceAnalytics.AlertsOf(state, Cleared(state)));
    }

    [Fact]
    public void Observe_SameRecordsIntoAFreshState_MakesIdenticalOutputs()
    {
        var first = Replay();
        var second = Replay();

        Assert.Equal(first.PendingAlerts, second.PendingAlerts);
        Assert.Equal(first.PendingWindows, second.PendingWindows);
        Assert.Equal(first.PendingAlerts.Select(a => a.Id), second.PendingAlerts.Select(a => a.Id));
        Assert.Equal(
            [AlertIds.Of(OverheatSubject, 1, At(30)), AlertIds.Of(OverheatSubject, 1, At(30)), AlertIds.Of(OverheatSubject, 2, At(100)), AlertIds.Of(OverheatSubject, 2, At(100))],
            first.PendingAlerts.Select(a => a.Id));
        Assert.Equal(3, first.PendingWindows.Count);

        static DeviceAnalyticsState Replay()
        {
            var engine = CreateEngine(Overheat());
            var rules = engine.RulesFor(Device, NoTags);
            var state = new DeviceAnalyticsState();
            (double Seconds, double Value)[] records = [(0, 50), (10, 60), (30, 90), (40, 55), (70, 60), (100, 85), (130, 86), (150, 60), (200, 61)];
            foreach (var (seconds, value) in records)
            {
                engine.Observe(state, Device, rules, At(seconds), Temperature(value), Processing(seconds));
            }

            return state;
        }
    }

    [Fact]
    public void Observe_RecordPastEndPlusGrace_QueuesTheClosedWindowsWithExactStatistics()
    {
        double[] temperatures = [2, 4, 4, 4, 5, 5, 7, 9];
        for (var i = 0; i < temperatures.Length; i++)
        {
            var seconds = i * 5;
            KeyValuePair<string, double>[] metrics = i switch
            {
                0 => [new("temperature", temperatures[i]), new("humidity", 40)],
                6 => [new("temperature", temperatures[i]), new("humidity", 50)],
                _ => Temperature(temperatures[i]),
            };
            engine.Observe(state, Device, rules, At(seconds), metrics, Processing(seconds));
        }

        engine.Observe(state, Device, rules, At(70).AddTicks(-1), Temperature(1), Processing(70));
        Assert.Empty(state.PendingWindows);

        engine.Observe(state, Device, rules, At(70), Temperature(1), Processing(70));

        WindowAggregate[] expected =
        [
            new() { DeviceId = Device, Metric = "humidity", Size = TimeSpan.FromMinutes(1), Start = At(0), End = At(60), Count = 2, Min = 40, Max = 50, Sum = 90, Mean = 45, StdDev = 5, First = 40, Last = 50, Late = 0 },
            new() { DeviceId = Device, Metric = "temperature", Size = TimeSpan.FromMinutes(1), Start = At(0), End = At(60), Count = 8, Min = 2, Max = 9, Sum = 40, Mean = 5, StdDev = 2, First = 2, Last = 9, Late = 0 },
        ];
        Assert.Equal(expected, state.PendingWindows);
        Assert.Equal([(At(60), 2L)], state.OpenWindows.Select(w => (w.Start, w.Statistics.Count)));
        Assert.Empty(state.PendingAlerts);
    }

    [Fact]
    public void Observe_OutOfOrderRecord_SkipsTheDetectorsButJoinsItsWindow()
    {
        Temperatures((10, 60), (30, 62));

        var result = engine.Observe(state, Device, rules, At(20), Temperature(95), Processing(31));

        Assert.Equal(new ObserveResult(false, true), result);
        Assert.Empty(state.PendingAlerts);
        Assert.Equal((0L, 1L), (state.LateRecords, state.OutOfOrderRecords));
        var window = Assert.Single(state.OpenWindows);
        Assert.Equal((3L, 95.0, 62.0, 0L), (window.Statistics.Count, window.Statistics.Max, window.Statistics.Last, window.Late));
        Assert.Equal(At(30), state.EventWatermark);
        Assert.Equal(At(30), state.Detectors["temperature"]["overheat"].LastTimestamp);
    }

    [Fact]
    public void Observe_OutOfOrderWithinGrace_CountsAsLateInItsWindow()
    {
        Temperatures((50, 60), (65, 61));

        Assert.Equal(new ObserveResult(false, true), engine.Observe(state, Device, rules, At(55), Temperature(62), Processing(66)));
        Temperatures((70, 63));

        var closed = Assert.Single(state.PendingWindows);
        Assert.Equal((At(0), 2L, 1L, 122.0, 60.0, 62.0), (closed.Start, closed.Count, closed.Late, closed.Sum, closed.First, closed.Last));
        Assert.Equal(0, state.LateRecords);
    }

    [Fact]
    public void Observe_RecordLaterThanGrace_CountsInLateRecordsAndInNoWindow()
    {
        Temperatures((50, 60), (80, 61));
        Assert.Equal([(At(0), 1L, 60.0)], state.PendingWindows.Select(w => (w.Start, w.Count, w.Sum)));

        var result = engine.Observe(state, Device, rules, At(55), Temperature(62), Processing(81));

        Assert.Equal(new ObserveResult(true, true), result);
        Assert.Equal((1L, 1L), (state.LateRecords, state.OutOfOrderRecords));
        Assert.Single(state.PendingWindows);
        Assert.Equal([(At(60), 1L, 61.0)], state.OpenWindows.Select(w => (w.Start, w.Statistics.Count, w.Statistics.Sum)));
    }

    [Fact]
    public void Observe_RecordsInAndOutOfOrder_AdvanceTheClocksMonotonically()
    {
        Temperatures((30, 60));
        engine.Observe(state, Device, rules, At(20), Temperature(60), Processing(45));

        Assert.Equal((At(30), At(30), Processing(45)), (state.EventWatermark, state.Watermark, state.LastArrival));
        Assert.Equal(At(30), DeviceAnalytics.DeviceClock(state, Processing(45)));
        Assert.Equal(At(40), DeviceAnalytics.DeviceClock(state, Processing(55)));
        Assert.Equal(At(30), DeviceAnalytics.DeviceClock(state, Processing(40)));
        Assert.Null(DeviceAnalytics.DeviceClock(new DeviceAnalyticsState(), Processing(0)));
    }

    [Fact]
    public void Acknowledge_ActiveAlertById_AddsAnAcknowledgedChange()
    {
        Temperatures((0, 50), (30, 90));
        var raised = state.PendingAlerts[0];

        Assert.True(engine.Acknowledge(state, raised.Id, Processing(100)));

        var acknowledged = raised with { Status = AlertStatus.Acknowledged, AcknowledgedAt = Processing(100) };
        Assert.Equal([raised, acknowledged], state.PendingAlerts);
        Assert.Equal([acknowledged], DeviceAnalytics.AlertsOf(state, Cleared(state)));
        Assert.True(engine.Acknowledge(state, raised.Id, Processing(110)));
        Assert.Equal(2, state.PendingAlerts.Count);
        Assert.False(engine.Acknowledge(state, "no-such-alert", Processing(110)));

        Temperatures((40, 60));

        Assert.Equal((AlertStatus.Cleared, (DateTimeOffset?)Processing(100)), (state.PendingAlerts[2].Status, state.PendingAlerts[2].AcknowledgedAt));
        Assert.False(engine.Acknowledge(state, raised.Id, Processing(120)));
        Assert.Equal(3, state.PendingAlerts.Count);
    }

    [Fact]
    public void AlertsOf_ActiveAndCleared_NewestRaiseFirst()
    {
        var damp = new RuleOptions { Name = "damp", Kind = DetectorKind.Threshold, Metrics = ["humidity"], Threshold = new ThresholdOptions { RaiseAbove = 90, ClearBelow = 80 } };
        var engine = CreateEngine(Overheat(), damp);
        var rules = engine.RulesFor(Device, NoTags);
        var state = new DeviceAnalyticsState();
        engine.Observe(state, Device, rules, At(10), Temperature(90), Processing(10));
        engine.Observe(state, Device, rules, At(20), Temperature(60), Processing(20));
        engine.Observe(state, Device, rules, At(30), [new("humidity", 95)], Processing(30));
        engine.Observe(state, Device, rules, At(40), Temperature(91), Processing(40));
        engine.Observe(state, Device, rules, At(50), Temperature(60), Processing(50));
        engine.Observe(state, Device, rules, At(60), Temperature(92), Processing(60));

        var alerts = DeviceAnalytics.AlertsOf(state, Cleared(state));

        Assert.Equal(
            [
                (AlertIds.Of(OverheatSubject, 3, At(60)), AlertStatus.Raised),
                (AlertIds.Of(OverheatSubject, 2, At(40)), AlertStatus.Cleared),
                (AlertIds.Of(OverheatSubject with { Rule = "damp", Metric = "humidity", Severity = AlertSeverity.Warning }, 1, At(30)), AlertStatus.Raised),
                (AlertIds.Of(OverheatSubject, 1, At(10)), AlertStatus.Cleared),
            ],
            alerts.Select(a => (a.Id, a.Status)));
    }

    private void Temperatures(params (double Seconds, double Value)[] records)
    {
        foreach (var (seconds, value) in records)
        {
            engine.Observe(state, Device, rules, At(seconds), Temperature(value), Processing(seconds));
        }
    }

    // The cleared alerts a twin shows beside its active ones: here those of the outbox (the twin adds its history store's).
    private static IEnumerable<Alert> Cleared(DeviceAnalyticsState state) => state.PendingAlerts.Where(a => a.Status == AlertStatus.Cleared);
}
