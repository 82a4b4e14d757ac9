using DeviceTwins.Analytics;
using DeviceTwins.Analytics.Alerts;
using DeviceTwins.Analytics.Rules;
using static DeviceTwins.UnitTests.Analytics.Engine.EngineScenario;

namespace DeviceTwins.UnitTests.Analytics.Engine;

public sealed class DeviceAnalyticsTickTests
{
    private readonly DeviceAnalyticsState state = new();

    [Fact]
    public void Tick_BeforeAnyRecord_DoesNothing()
    {
        var engine = CreateEngine(Overheat(), Offline());
        var rules = engine.RulesFor(Device, NoTags);

        Assert.Null(engine.NextDue(state, rules));
        engine.Tick(state, Device, rules, Processing(1000));

        Assert.Null(state.Watermark);
        Assert.False(state.HasPending);
    }

    [Fact]
    public void Tick_QuietDevice_ClosesItsLastWindowExactlyAtNextDue()
    {
        var engine = CreateEngine(Overheat());
        var rules = engine.RulesFor(Device, NoTags);
        engine.Observe(state, Device, rules, At(10), Temperature(60), Processing(0));
        engine.Observe(state, Device, rules, At(20), Temperature(64), Processing(10));

        // The window [0, 60) closes at event time 70, 50 s after the latest record: 50 s after its arrival.
        Assert.Equal(Processing(60), engine.NextDue(state, rules));

        engine.Tick(state, Device, rules, Processing(60).AddTicks(-1));
        Assert.Empty(state.PendingWindows);
        Assert.Equal(At(70).AddTicks(-1), state.Watermark);

        engine.Tick(state, Device, rules, Processing(60));

        var closed = Assert.Single(state.PendingWindows);
        Assert.Equal((At(0), At(60), 2L, 62.0, 2.0), (closed.Start, closed.End, closed.Count, closed.Mean, closed.StdDev));
        Assert.Equal((At(70), At(20)), (state.Watermark, state.EventWatermark));
        Assert.Empty(state.OpenWindows);
        Assert.Null(engine.NextDue(state, rules));
    }

    [Fact]
    public void Tick_AfterTheClockWasExtrapolated_ARecordWithinGraceStillJoins()
    {
        var engine = CreateEngine(Overheat());
        var rules = engine.RulesFor(Device, NoTags);
        engine.Observe(state, Device, rules, At(50), Temperature(60), Processing(0));
        engine.Tick(state, Device, rules, Processing(15));

        var result = engine.Observe(state, Device, rules, At(58), Temperature(62), Processing(16));

        Assert.Equal(new ObserveResult(false, false), result);
        Assert.Equal((2L, 1L), (state.OpenWindows[0].Statistics.Count, state.OpenWindows[0].Late));
        Assert.Equal(At(65), state.Watermark);
    }

    [Fact]
    public void Tick_SilentWarmDevice_RaisesOneOfflineAlertAndARecordClearsIt()
    {
        var engine = CreateEngine(Overheat(), Offline());
        var rules = engine.RulesFor(Device, NoTags);
        for (var seconds = 0; seconds <= 40; seconds += 10)
        {
            engine.Observe(state, Device, rules, At(seconds), [], Processing(seconds));
        }

        // Four intervals of 10 s: silent after 3 x 10 s, one tick past the latest record at 40 s.
        Assert.Equal(Processing(70).AddTicks(1), engine.NextDue(state, rules));
        engine.Tick(state, Device, rules, Processing(70));
        Assert.Empty(state.PendingAlerts);

        engine.Tick(state, Device, rules, Processing(70).AddTicks(1));

        var raised = new Alert
        {
            Id = AlertIds.Of(OfflineSubject, 1, At(70).AddTicks(1)),
            DeviceId = Device,
            Rule = "offline",
            Detector = "heartbeat",
            Metric = null,
            Severity = AlertSeverity.Critical,
            Status = AlertStatus.Raised,
            Value = 30.0000001,
            EventTime = At(70).AddTicks(1),
            RaisedAt = At(70).AddTicks(1),
            Window = null,
            Reason = "no record for 30 s, 3 x the expected interval of 10 s",
            Raise = new AlertCause
            {
                Value = 30.0000001,
                EventTime = At(70).AddTicks(1),
                Reason = "no record for 30 s, 3 x the expected interval of 10 s",
                Statistic = "seconds silent",
                Score = 30.0000001,
                Threshold = 30,
            },
        };
        Assert.Equal([raised], state.PendingAlerts);
        Assert.Null(engine.NextDue(state, rules));

        engine.Tick(state, Device, rules, Processing(100));
        Assert.Single(state.PendingAlerts);

        engine.Observe(state, Device, rules, At(100), Temperature(60), Processing(100));

        // The 60 s silence is judged against the limit it exceeded, 3 x 10 s.
        var cleared = raised with
        {
            Status = AlertStatus.Cleared,
            Value = 60,
            EventTime = At(100),
            ClearedAt = At(100),
            Reason = "record after 60 s of silence",
            Clear = new AlertCause { Value = 60, EventTime = At(100), Reason = "record after 60 s of silence", Statistic = "seconds silent", Score = 60, Threshold = 30 },
        };
        Assert.Equal([raised, cleared], state.PendingAlerts);
        Assert.Equal([cleared], DeviceAnalytics.AlertsOf(state, state.PendingAlerts.Where(a => a.Status == AlertStatus.Cleared)));
    }

    [Fact]
    public void Observe_DelayedRecordOlderThanTheOfflineRaise_ClearsItNoEarlierThanTheRaise()
    {
        var engine = CreateEngine(Offline());
        var rules = engine.RulesFor(Device, NoTags);
        for (var seconds = 0; seconds <= 40; seconds += 10)
        {
            engine.Observe(state, Device, rules, At(seconds), [], Processing(seconds));
        }

        engine.Tick(state, Device, rules, Processing(70).AddTicks(1));
        var raised = Assert.Single(state.PendingAlerts);

        // Written at 65 s but delivered 45 s late, after the device clock had run on to the raise.
        engine.Observe(state, Device, rules, At(65), [], Processing(110));

        // The cause of the clear keeps the record's own event time; the limit is the one the raise exceeded, 3 x 10 s.
        var cleared = raised with
        {
            Status = AlertStatus.Cleared,
            Value = 25,
            EventTime = At(65),
            ClearedAt = At(70).AddTicks(1),
            Reason = "record after 25 s of silence",
            Clear = new AlertCause { Value = 25, EventTime = At(65), Reason = "record after 25 s of silence", Statistic = "seconds silent", Score = 25, Threshold = 30 },
        };
        Assert.Equal(new AlertCause { Value = 30.0000001, EventTime = At(70).AddTicks(1), Reason = "no record for 30 s, 3 x the expected interval of 10 s", Statistic = "seconds silent", Score = 30.0000001, Threshold = 30 }, raised.Raise);
        Assert.Equal([raised, cleared], state.PendingAlerts);
    }

    [Fact]
    public void Tick_StateWithoutWatermark_TakesTheDeviceClock()
    {
        var engine = CreateEngine(Overheat());
        var rules = engine.RulesFor(Device, NoTags);
        engine.Observe(state, Device, rules, At(50), Temperature(60), Processing(0));
        state.Watermark = null;

        engine.Tick(state, Device, rules, Processing(20));

        Assert.Equal(At(70), state.Watermark);
        Assert.Single(state.PendingWindows);
    }

    [Fact]
    public void NextDue_WindowAndHeartbeat_IsTheEarliestOfThem()
    {
        var (engine, rules) = EveryTenSecondsFrom20To50();

        // The heartbeat fires one tick after 80 s; the window [0, 60) closes at 70 s first.
        Assert.Equal(Processing(70), engine.NextDue(state, rules));
        engine.Tick(state, Device, rules, Processing(70));

        Assert.Single(state.PendingWindows);
        Assert.Equal(Processing(80).AddTicks(1), engine.NextDue(state, rules));
    }

    [Fact]
    public void NextDue_QuietCloseDelay_PostponesTheWindowsCloseAlone()
    {
        var (engine, rules) = EveryTenSecondsFrom20To50();

        // The window [0, 60) closes at 70 s plus the device's delay; the heartbeat (one tick after 80 s) is not delayed.
        Assert.Equal(Processing(75), engine.NextDue(state, rules, TimeSpan.FromSeconds(5)));
        Assert.Equal(Processing(80).AddTicks(1), engine.NextDue(state, rules, TimeSpan.FromSeconds(15)));

        engine.Tick(state, Device, rules, Processing(75));

        Assert.Equal(At(0), Assert.Single(state.PendingWindows).Start);
        Assert.Equal(Processing(80).AddTicks(1), engine.NextDue(state, rules, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void Tick_HeldFlappingAlert_IsReleasedOnTheDeviceClock()
    {
        var engine = CreateEngine(Overheat());
        var rules = engine.RulesFor(Device, NoTags);
        (double Seconds, double Value)[] records = [(0, 90), (60, 60), (120, 90), (180, 60), (240, 90), (300, 60)];
        foreach (var (seconds, value) in records)
        {
            engine.Observe(state, Device, rules, At(seconds), Temperature(value), Processing(seconds));
        }

        var third = state.PendingAlerts[^1];
        Assert.Equal((5, AlertStatus.Raised, true), (state.PendingAlerts.Count, third.Status, third.Flapping));
        Assert.Equal(Processing(310), engine.NextDue(state, rules));
        engine.Tick(state, Device, rules, Processing(370));
        Assert.Equal([At(240), At(300)], state.PendingWindows[^2..].Select(w => w.Start));
        Assert.Equal(Processing(900), engine.NextDue(state, rules));
        engine.Tick(state, Device, rules, Processing(900).AddTicks(-1));
        Assert.Equal(5, state.PendingAlerts.Count);

        engine.Tick(state, Device, rules, Processing(900));

        var released = third with
        {
            Status = AlertStatus.Cleared,
            EventTime = At(900),
            ClearedAt = At(900),
            Reason = "condition clear for 600 s after flapping",
            Raise = new AlertCause { Value = 90, EventTime = At(240), Reason = "temperature 90 above 80 for 0 s", Statistic = "value", Score = 90, Threshold = 80 },
            Clear = new AlertCause { Value = 90, EventTime = At(900), Reason = "condition clear for 600 s after flapping" },
        };
        Assert.Equal(released, state.PendingAlerts[^1]);
        Assert.Equal(6, state.PendingAlerts.Count);
        Assert.Null(engine.NextDue(state, rules));
    }

    [Fact]
    public void Tick_ProcessingTimeBeforeTheLatestArrival_KeepsTheClock()
    {
        var engine = CreateEngine(Overheat());
        var rules = engine.RulesFor(Device, NoTags);
        engine.Observe(state, Device, rules, At(50), Temperature(60), Processing(100));

        engine.Tick(state, Device, rules, Processing(0));

        Assert.Equal(At(50), state.Watermark);
        Assert.Single(state.OpenWindows);
    }

    // Four records 10 s apart, at 20-50 s of event and processing time, with the overheat and offline rules.
    private (DeviceAnalytics Engine, DeviceRules Rules) EveryTenSecondsFrom20To50()
    {
        var engine = CreateEngine(Overheat(), Offline());
        var rules = engine.RulesFor(Device, NoTags);
        for (var seconds = 20; seconds <= 50; seconds += 10)
        {
            engine.Observe(state, Device, rules, At(seconds), Temperature(60), Processing(seconds));
        }

        return (engine, rules);
    }
}
