using DeviceTwins.Analytics.Detection;

namespace DeviceTwins.UnitTests.Analytics.Detection;

public sealed class HeartbeatDetectorTests
{
    private static readonly DateTimeOffset Base = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly HeartbeatDetector detector = new(new HeartbeatOptions { Multiplier = 3, WarmUp = 3, Alpha = 0.5 });

    [Fact]
    public void Check_DuringWarmUp_NeverFires()
    {
        var state = detector.CreateState();
        Assert.Equal(new DetectorVerdict(false, 0, "no record yet"), detector.Check(state, At(1000)));

        Observe(state, 0, 10, 20);

        Assert.Null(detector.NextCheck(state));
        Assert.Equal(new DetectorVerdict(false, 3580, "warming up"), detector.Check(state, At(3600)));
        Assert.False(state.Anomalous);
    }

    [Fact]
    public void NextCheck_WhenWarm_IsLastSeenPlusMultiplierIntervalsPlusOneTick()
    {
        var state = detector.CreateState();
        Observe(state, 0, 10, 20, 30);

        Assert.Equal((10.0, 3), (state.IntervalSeconds, state.Intervals));
        Assert.Equal(At(60).AddTicks(1), detector.NextCheck(state));
    }

    [Fact]
    public void Check_AtNextCheck_FiresAndNotOneTickBefore()
    {
        var state = detector.CreateState();
        Observe(state, 0, 10, 20, 30);
        var next = detector.NextCheck(state)!.Value;

        Assert.Equal(new DetectorVerdict(false, 30, "within the expected interval"), detector.Check(state, next.AddTicks(-1)));
        var fired = detector.Check(state, next);

        Assert.True(fired.Anomalous);
        Assert.Equal(30.0000001, fired.Score, 9);
        Assert.Equal("no record for 30 s, 3 x the expected interval of 10 s", fired.Reason);
        Assert.Equal(("seconds silent", 30.0), (fired.Evidence!.Statistic, fired.Evidence.Threshold));
        Assert.Equal(30.0000001, fired.Evidence.Value, 9);
        Assert.Null(detector.NextCheck(state));
        Assert.Equal(new DetectorVerdict(true, 65, "no record for 65 s, 3 x the expected interval of 10 s") { Evidence = new DetectorEvidence("seconds silent", 65, 30) }, detector.Check(state, At(95)));
    }

    [Fact]
    public void Observe_AfterSilence_ClearsAndFoldsCappedGap()
    {
        var state = detector.CreateState();
        Observe(state, 0, 10, 20, 30);
        Assert.True(detector.Check(state, At(95)).Anomalous);

        // The silence is judged against the limit it exceeded, 3 x 10 s, not the one learned from it.
        Assert.Equal(new DetectorVerdict(false, 65, "record after 65 s of silence") { Evidence = new DetectorEvidence("seconds silent", 65, 30) }, detector.Observe(state, At(95)));

        // The 65 s gap is folded capped at 3 x 10 s: 10 + 0.5 * (30 - 10) = 20.
        Assert.False(state.Anomalous);
        Assert.Equal(20, state.IntervalSeconds);
        Assert.Equal(At(155).AddTicks(1), detector.NextCheck(state));
    }

    [Fact]
    public void Observe_UnevenGaps_FollowsTheExponentialMean()
    {
        var state = detector.CreateState();

        Assert.Equal(new DetectorVerdict(false, 0, "first record"), detector.Observe(state, At(0)));
        Assert.Equal(new DetectorVerdict(false, 10, "record received"), detector.Observe(state, At(10)));
        Assert.Equal(10, state.IntervalSeconds);
        detector.Observe(state, At(30));
        Assert.Equal(15, state.IntervalSeconds);
        detector.Observe(state, At(35));
        Assert.Equal(10, state.IntervalSeconds);
        Assert.Equal(3, state.Intervals);
    }

    [Fact]
    public void Observe_EqualTimestamps_AreOneArrival()
    {
        var state = detector.CreateState();
        Observe(state, 0, 10, 10, 10);

        Assert.Equal((10.0, 1), (state.IntervalSeconds, state.Intervals));
    }

    [Fact]
    public void NextCheck_ShortIntervals_AreFlooredAtMinInterval()
    {
        var state = detector.CreateState();
        for (var i = 0; i <= 3; i++)
        {
            detector.Observe(state, Base.AddMilliseconds(100 * i));
        }

        Assert.Equal(Base.AddMilliseconds(300).AddSeconds(3).AddTicks(1), detector.NextCheck(state));
    }

    [Theory]
    [InlineData(1.0, 5, 1, 0.2, "Multiplier must be a finite number greater than 1.")]
    [InlineData(3.0, 0, 1, 0.2, "WarmUp must be at least 1.")]
    [InlineData(3.0, 5, 0, 0.2, "MinInterval must be positive.")]
    [InlineData(3.0, 5, 1, 1.5, "Alpha must be greater than 0 and at most 1.")]
    public void Validate_InvalidSettings_NamesProperty(double multiplier, int warmUp, int minIntervalSeconds, double alpha, string expected)
    {
        var options = new HeartbeatOptions { Multiplier = multiplier, WarmUp = warmUp, MinInterval = TimeSpan.FromSeconds(minIntervalSeconds), Alpha = alpha };

        Assert.Equal([expected], options.Validate());
        Assert.Throws<ArgumentException>(() => new HeartbeatDetector(options));
    }

    private void Observe(HeartbeatState state, params int[] seconds)
    {
        foreach (var second in seconds)
        {
            detector.Observe(state, At(second));
        }
    }

    private static DateTimeOffset At(int seconds) => Base.AddSeconds(seconds);
}
