using DeviceTwins.Analytics.Alerts;
using DeviceTwins.Analytics.Detection;

namespace DeviceTwins.UnitTests.Analytics.Alerts;

public sealed class AlertLifecycleTests
{
    private static readonly DateTimeOffset Base = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly AlertSubject Subject = new("dev-1", "overheat", "threshold", "temperature", AlertSeverity.Critical);
    private static readonly AlertWindow Window = new() { Start = Base, End = Base.AddMinutes(1), Count = 4, Min = 50, Max = 90, Mean = 65, StdDev = 15 };

    private readonly AlertLifecycle lifecycle = new(new AlertOptions { FlapRaises = 3, FlapWindow = TimeSpan.FromMinutes(10) });

    [Fact]
    public void Apply_ConditionStarts_RaisesTheAlert()
    {
        var state = new AlertState();

        var raised = lifecycle.Apply(state, Subject, true, 91, At(30), "hot", Window);

        var expected = new Alert
        {
            Id = AlertIds.Of(Subject, 1, At(30)),
            DeviceId = "dev-1",
            Rule = "overheat",
            Detector = "threshold",
            Metric = "temperature",
            Severity = AlertSeverity.Critical,
            Status = AlertStatus.Raised,
            Value = 91,
            EventTime = At(30),
            RaisedAt = At(30),
            Window = Window,
            Reason = "hot",
            Raise = new AlertCause { Value = 91, EventTime = At(30), Reason = "hot" },
        };
        Assert.Equal(expected, raised);
        Assert.Same(raised, state.Current);
        Assert.Equal(1, state.Raises);
        Assert.Equal([At(30)], state.RecentRaises);
    }

    [Fact]
    public void Apply_ConditionStillHolds_DoesNotRaiseAgain()
    {
        var state = new AlertState();
        var raised = lifecycle.Apply(state, Subject, true, 91, At(30), "hot", Window);

        Assert.Null(lifecycle.Apply(state, Subject, true, 95, At(40), "hotter", Window));
        Assert.Null(lifecycle.Apply(state, Subject, true, 99, At(50), "hottest", null));

        Assert.Same(raised, state.Current);
        Assert.Equal(1, state.Raises);
    }

    [Fact]
    public void Apply_ConditionEnds_ClearsTheAlert()
    {
        var state = new AlertState();
        var raised = lifecycle.Apply(state, Subject, true, 91, At(30), "hot", Window)!;
        var later = Window with { Count = 5, Mean = 63, StdDev = 14 };

        var cleared = lifecycle.Apply(state, Subject, false, 55, At(40), "cool", later);

        var expected = raised with
        {
            Status = AlertStatus.Cleared,
            Value = 55,
            EventTime = At(40),
            ClearedAt = At(40),
            Reason = "cool",
            Window = later,
            Raise = new AlertCause { Value = 91, EventTime = At(30), Reason = "hot" },
            Clear = new AlertCause { Value = 55, EventTime = At(40), Reason = "cool" },
        };
        Assert.Equal(expected, cleared);
        Assert.Equal(raised.Id, cleared!.Id);
        Assert.Equal(At(30), cleared.RaisedAt);
        Assert.Null(state.HeldSince);
    }

    [Fact]
    public void Apply_ConditionAbsentWithoutActiveAlert_ChangesNothing()
    {
        var state = new AlertState();

        Assert.Null(lifecycle.Apply(state, Subject, false, 50, At(0), "ok", null));
        Assert.Null(state.Current);

        lifecycle.Apply(state, Subject, true, 91, At(10), "hot", null);
        var cleared = lifecycle.Apply(state, Subject, false, 50, At(20), "ok", null);

        Assert.Null(lifecycle.Apply(state, Subject, false, 50, At(30), "ok", null));
        Assert.Same(cleared, state.Current);
    }

    [Fact]
    public void Apply_RaiseAfterClear_IsANewAlertWithTheNextOrdinal()
    {
        var state = new AlertState();
        var first = lifecycle.Apply(state, Subject, true, 91, At(10), "hot", null)!;
        lifecycle.Apply(state, Subject, false, 50, At(20), "ok", null);

        var second = lifecycle.Apply(state, Subject, true, 92, At(30), "hot again", null)!;

        Assert.Equal(AlertIds.Of(Subject, 2, At(30)), second.Id);
        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal((AlertStatus.Raised, At(30), (DateTimeOffset?)null, false), (second.Status, second.RaisedAt, second.ClearedAt, second.Flapping));
    }

    [Fact]
    public void Apply_SameInputTwice_MakesTheSameChangesWithTheSameIds()
    {
        Assert.Equal(Run(), Run());
        Assert.Equal(6, Run().Count);

        List<Alert> Run()
        {
            var state = new AlertState();
            var changes = new List<Alert>();
            bool[] conditions = [false, true, true, false, true, false, true, false, false];
            for (var i = 0; i < conditions.Length; i++)
            {
                if (lifecycle.Apply(state, Subject, conditions[i], i, At(i * 60), conditions[i] ? "hot" : "ok", null) is { } change)
                {
                    changes.Add(change);
                }
            }

            if (lifecycle.Release(state, At(3600)) is { } released)
            {
                changes.Add(released);
            }

            return changes;
        }
    }

    [Fact]
    public void Acknowledge_RaisedAlert_BecomesAcknowledgedOnce()
    {
        var state = new AlertState();
        var raised = lifecycle.Apply(state, Subject, true, 91, At(30), "hot", Window)!;

        var acknowledged = AlertLifecycle.Acknowledge(state, At(45));

        Assert.Equal(raised with { Status = AlertStatus.Acknowledged, AcknowledgedAt = At(45) }, acknowledged);
        Assert.Same(acknowledged, state.Current);
        Assert.Null(AlertLifecycle.Acknowledge(state, At(50)));
        Assert.Equal(At(45), state.Current!.AcknowledgedAt);
    }

    [Fact]
    public void Acknowledge_WithoutAlertOrCleared_ReturnsNull()
    {
        var state = new AlertState();
        Assert.Null(AlertLifecycle.Acknowledge(state, At(0)));

        lifecycle.Apply(state, Subject, true, 91, At(10), "hot", null);
        var cleared = lifecycle.Apply(state, Subject, false, 50, At(20), "ok", null);

        Assert.Null(AlertLifecycle.Acknowledge(state, At(30)));
        Assert.Same(cleared, state.Current);
    }

    [Fact]
    public void Apply_AcknowledgedAlertEnds_ClearsKeepingTheAcknowledgement()
    {
        var state = new AlertState();
        lifecycle.Apply(state, Subject, true, 91, At(10), "hot", null);
        AlertLifecycle.Acknowledge(state, At(15));

        Assert.Null(lifecycle.Apply(state, Subject, true, 93, At(20), "hot", null));
        var cleared = lifecycle.Apply(state, Subject, false, 50, At(30), "ok", null)!;

        Assert.Equal((AlertStatus.Cleared, (DateTimeOffset?)At(15), (DateTimeOffset?)At(30)), (cleared.Status, cleared.AcknowledgedAt, cleared.ClearedAt));
    }

    [Fact]
    public void Apply_AcknowledgedAlertClearsWithEvidence_KeepsTheRaiseAndAddsTheClear()
    {
        var state = new AlertState();
        var raised = lifecycle.Apply(state, Subject, true, 91.5, At(30), "temperature 91.5 above 80 for 0 s", Window, new DetectorEvidence("value", 91.5, 80))!;
        var acknowledged = AlertLifecycle.Acknowledge(state, At(45))!;
        var later = Window with { Count = 5, Mean = 63, StdDev = 14 };

        var cleared = lifecycle.Apply(state, Subject, false, 69.9, At(60), "temperature 69.9 back below 70", later, new DetectorEvidence("value", 69.9, 70))!;

        var raise = new AlertCause { Value = 91.5, EventTime = At(30), Reason = "temperature 91.5 above 80 for 0 s", Statistic = "value", Score = 91.5, Threshold = 80 };
        Assert.Equal((raise, (AlertCause?)null), (raised.Raise, raised.Clear));
        Assert.Equal((raise, (AlertCause?)null), (acknowledged.Raise, acknowledged.Clear));
        var expected = new Alert
        {
            Id = AlertIds.Of(Subject, 1, At(30)),
            DeviceId = "dev-1",
            Rule = "overheat",
            Detector = "threshold",
            Metric = "temperature",
            Severity = AlertSeverity.Critical,
            Status = AlertStatus.Cleared,
            Value = 69.9,
            EventTime = At(60),
            RaisedAt = At(30),
            AcknowledgedAt = At(45),
            ClearedAt = At(60),
            Window = later,
            Reason = "temperature 69.9 back below 70",
            Raise = raise,
            Clear = new AlertCause { Value = 69.9, EventTime = At(60), Reason = "temperature 69.9 back below 70", Statistic = "value", Score = 69.9, Threshold = 70 },
        };
        Assert.Equal(expected, cleared);
        Assert.Same(cleared, state.Current);
    }

    [Fact]
    public void Apply_ThirdRaiseWithinFlapWindow_HoldsItsClearForAWholeFlapWindow()
    {
        var state = new AlertState();
        var changes = new List<Alert?>
        {
            lifecycle.Apply(state, Subject, true, 91, Min(0), "hot", null),
            lifecycle.Apply(state, Subject, false, 60, Min(1), "ok", null),
            lifecycle.Apply(state, Subject, true, 92, Min(2), "hot", null),
            lifecycle.Apply(state, Subject, false, 61, Min(3), "ok", null),
            lifecycle.Apply(state, Subject, true, 93, Min(4), "hot", null),
        };
        Assert.Equal([AlertStatus.Raised, AlertStatus.Cleared, AlertStatus.Raised, AlertStatus.Cleared, AlertStatus.Raised], changes.Select(c => c!.Status));
        Assert.Equal([false, false, false, false, true], changes.Select(c => c!.Flapping));
        var third = changes[4]!;

        Assert.Null(lifecycle.Apply(state, Subject, false, 62, Min(5), "ok", null));
        Assert.Equal(Min(5), state.HeldSince);
        Assert.Equal(Min(15), lifecycle.NextRelease(state));
        Assert.Null(lifecycle.Apply(state, Subject, false, 63, Min(10), "ok", null));
        Assert.Null(lifecycle.Apply(state, Subject, false, 64, Min(15).AddTicks(-1), "ok", null));
        Assert.Same(third, state.Current);

        var cleared = lifecycle.Apply(state, Subject, false, 65, Min(15), "ok", null);

        var expected = third with
        {
            Status = AlertStatus.Cleared,
            Value = 65,
            EventTime = Min(15),
            ClearedAt = Min(15),
            Reason = "ok; clear for 600 s after flapping",
            Raise = new AlertCause { Value = 93, EventTime = Min(4), Reason = "hot" },
            Clear = new AlertCause { Value = 65, EventTime = Min(15), Reason = "ok; clear for 600 s after flapping" },
        };
        Assert.Equal(expected, cleared);
        Assert.Null(state.HeldSince);
        Assert.Null(lifecycle.NextRelease(state));
        Assert.Null(lifecycle.Apply(state, Subject, false, 66, Min(16), "ok", null));
    }

    [Fact]
    public void Apply_ConditionReturnsDuringTheHold_CancelsTheHold()
    {
        var state = Flapping();
        Assert.Null(lifecycle.Apply(state, Subject, false, 62, Min(5), "ok", null));

        Assert.Null(lifecycle.Apply(state, Subject, true, 94, Min(8), "hot", null));

        Assert.Null(state.HeldSince);
        Assert.Null(lifecycle.NextRelease(state));
        Assert.Equal(3, state.Raises);
        Assert.Null(lifecycle.Apply(state, Subject, false, 63, Min(9), "ok", null));
        Assert.Null(lifecycle.Apply(state, Subject, false, 63, Min(15), "ok", null));
        Assert.Equal(Min(19), lifecycle.NextRelease(state));
        Assert.Equal((AlertStatus.Cleared, (DateTimeOffset?)Min(19)), (lifecycle.Apply(state, Subject, false, 64, Min(19), "ok", null)!.Status, state.Current!.ClearedAt));
    }

    [Fact]
    public void Apply_RaisesSpreadBeyondFlapWindow_ClearsAtOnce()
    {
        var state = new AlertState();
        lifecycle.Apply(state, Subject, true, 91, Min(0), "hot", null);
        lifecycle.Apply(state, Subject, false, 60, Min(1), "ok", null);
        lifecycle.Apply(state, Subject, true, 91, Min(6), "hot", null);
        lifecycle.Apply(state, Subject, false, 60, Min(7), "ok", null);
        var third = lifecycle.Apply(state, Subject, true, 91, Min(10).AddTicks(1), "hot", null)!;

        var cleared = lifecycle.Apply(state, Subject, false, 60, Min(11), "ok", null);

        Assert.False(third.Flapping);
        Assert.Equal((AlertStatus.Cleared, "ok"), (cleared!.Status, cleared.Reason));
        Assert.Equal([Min(0), Min(6), Min(10).AddTicks(1)], state.RecentRaises);
    }

    [Fact]
    public void Apply_FourthRaise_KeepsOnlyTheLatestFlapRaises()
    {
        var state = Flapping();
        lifecycle.Apply(state, Subject, false, 60, Min(5), "ok", null);
        lifecycle.Apply(state, Subject, false, 60, Min(15), "ok", null);

        var fourth = lifecycle.Apply(state, Subject, true, 91, Min(30), "hot", null)!;

        Assert.Equal([Min(2), Min(4), Min(30)], state.RecentRaises);
        Assert.Equal((4L, false), (state.Raises, fourth.Flapping));
        Assert.Equal(AlertIds.Of(Subject, 4, Min(30)), fourth.Id);
    }

    [Fact]
    public void Release_HeldAlertOnceClearForTheFlapWindow_ClearsAtHeldSincePlusFlapWindow()
    {
        var state = Flapping();
        var third = state.Current!;
        lifecycle.Apply(state, Subject, false, 62, Min(5), "ok", null);

        Assert.Null(lifecycle.Release(state, Min(15).AddTicks(-1)));
        var released = lifecycle.Release(state, Min(20));

        // A release has no reading of its own: it keeps the held alert's value and names no statistic.
        var expected = third with
        {
            Status = AlertStatus.Cleared,
            EventTime = Min(15),
            ClearedAt = Min(15),
            Reason = "condition clear for 600 s after flapping",
            Raise = new AlertCause { Value = 93, EventTime = Min(4), Reason = "hot" },
            Clear = new AlertCause { Value = 93, EventTime = Min(15), Reason = "condition clear for 600 s after flapping" },
        };
        Assert.Equal(expected, released);
        Assert.Null(lifecycle.Release(state, Min(30)));
        Assert.Null(lifecycle.NextRelease(state));
    }

    [Fact]
    public void Release_NothingHeld_ReturnsNull()
    {
        var state = new AlertState();
        Assert.Null(lifecycle.Release(state, Min(60)));
        Assert.Null(lifecycle.NextRelease(state));

        lifecycle.Apply(state, Subject, true, 91, Min(0), "hot", null);

        Assert.Null(lifecycle.Release(state, Min(60)));
        Assert.Null(lifecycle.NextRelease(state));
        Assert.Equal(AlertStatus.Raised, state.Current!.Status);
    }

    [Fact]
    public void Release_AcknowledgedHeldAlert_Clears()
    {
        var state = Flapping();
        AlertLifecycle.Acknowledge(state, Min(4.5));
        lifecycle.Apply(state, Subject, false, 62, Min(5), "ok", null);

        var released = lifecycle.Release(state, Min(15));

        Assert.Equal((AlertStatus.Cleared, (DateTimeOffset?)Min(4.5), (DateTimeOffset?)Min(15)), (released!.Status, released.AcknowledgedAt, released.ClearedAt));
    }

    // Three raises at minutes 0, 2 and 4 with clears at 1 and 3: the alert raised at 4 is flapping.
    private AlertState Flapping()
    {
        var state = new AlertState();
        lifecycle.Apply(state, Subject, true, 91, Min(0), "hot", null);
        lifecycle.Apply(state, Subject, false, 60, Min(1), "ok", null);
        lifecycle.Apply(state, Subject, true, 92, Min(2), "hot", null);
        lifecycle.Apply(state, Subject, false, 61, Min(3), "ok", null);
        lifecycle.Apply(state, Subject, true, 93, Min(4), "hot", null);
        return state;
    }

    private static DateTimeOffset At(double seconds) => Base.AddSeconds(seconds);

    private static DateTimeOffset Min(double minutes) => Base.AddMinutes(minutes);
}
