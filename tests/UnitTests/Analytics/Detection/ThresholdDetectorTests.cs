using DeviceTwins.Analytics.Detection;

namespace DeviceTwins.UnitTests.Analytics.Detection;

public sealed class ThresholdDetectorTests
{
    private static readonly DateTimeOffset Base = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Observe_AboveRaiseThenBetweenLimits_StaysAnomalousUntilBelowClear()
    {
        var detector = new ThresholdDetector(new ThresholdOptions { RaiseAbove = 80, ClearBelow = 70 });
        var state = detector.CreateState();

        Assert.Equal(new DetectorVerdict(false, 75, "within limits"), detector.Observe(state, "temperature", 75, At(0)));
        Assert.Equal(new DetectorVerdict(false, 80, "within limits"), detector.Observe(state, "temperature", 80, At(1)));
        Assert.Equal(new DetectorVerdict(true, 91.5, "temperature 91.5 above 80 for 0 s") { Evidence = new DetectorEvidence("value", 91.5, 80) }, detector.Observe(state, "temperature", 91.5, At(2)));
        Assert.Equal(new DetectorVerdict(true, 95, "temperature 95 above 80 for 30 s"), detector.Observe(state, "temperature", 95, At(32)));
        Assert.Equal(new DetectorVerdict(true, 75, "temperature 75 not yet below 70 after 38 s above 80"), detector.Observe(state, "temperature", 75, At(40)));
        Assert.True(detector.Observe(state, "temperature", 70, At(41)).Anomalous);
        Assert.Equal(new DetectorVerdict(false, 69.9, "temperature 69.9 back below 70") { Evidence = new DetectorEvidence("value", 69.9, 70) }, detector.Observe(state, "temperature", 69.9, At(42)));
        Assert.Equal(new DetectorVerdict(false, 75, "within limits"), detector.Observe(state, "temperature", 75, At(43)));
        Assert.False(state.Anomalous);
    }

    [Fact]
    public void Observe_NoClearLimit_ClearsBelowRaiseLimit()
    {
        var detector = new ThresholdDetector(new ThresholdOptions { RaiseAbove = 80 });
        var state = detector.CreateState();

        Assert.True(detector.Observe(state, "t", 81, At(0)).Anomalous);
        Assert.True(detector.Observe(state, "t", 80, At(1)).Anomalous);
        Assert.False(detector.Observe(state, "t", 79.99, At(2)).Anomalous);
    }

    [Fact]
    public void Observe_ExcursionShorterThanFor_DoesNotRaise()
    {
        var detector = new ThresholdDetector(new ThresholdOptions { RaiseAbove = 80, For = TimeSpan.FromSeconds(30) });
        var state = detector.CreateState();

        Assert.Equal(new DetectorVerdict(false, 85, "beyond a limit, not yet for long enough"), detector.Observe(state, "t", 85, At(0)));
        Assert.False(detector.Observe(state, "t", 85, At(10)).Anomalous);
        Assert.False(detector.Observe(state, "t", 85, At(29)).Anomalous);
        Assert.Equal(new DetectorVerdict(false, 79, "within limits"), detector.Observe(state, "t", 79, At(35)));

        // The dip reset the run: it restarts at 40 s, so 69 s is only 29 s into it.
        Assert.False(detector.Observe(state, "t", 85, At(40)).Anomalous);
        Assert.False(detector.Observe(state, "t", 85, At(69)).Anomalous);
        Assert.Equal(At(40), ((ThresholdState)state).Since);
    }

    [Fact]
    public void Observe_ExcursionReachingFor_RaisesExactlyAtStartPlusFor()
    {
        var detector = new ThresholdDetector(new ThresholdOptions { RaiseAbove = 80, For = TimeSpan.FromSeconds(30) });
        var state = detector.CreateState();

        Assert.False(detector.Observe(state, "temperature", 85, At(100)).Anomalous);
        Assert.False(detector.Observe(state, "temperature", 86, At(130).AddTicks(-1)).Anomalous);
        Assert.Equal(new DetectorVerdict(true, 91.5, "temperature 91.5 above 80 for 30 s") { Evidence = new DetectorEvidence("value", 91.5, 80) }, detector.Observe(state, "temperature", 91.5, At(130)));
    }

    [Fact]
    public void Observe_BelowRaiseBelow_RaisesAndClearsAboveClearAbove()
    {
        var detector = new ThresholdDetector(new ThresholdOptions { RaiseBelow = 10, ClearAbove = 15, For = TimeSpan.FromSeconds(5) });
        var state = detector.CreateState();

        Assert.False(detector.Observe(state, "level", 9, At(0)).Anomalous);
        Assert.Equal(new DetectorVerdict(true, 8, "level 8 below 10 for 5 s") { Evidence = new DetectorEvidence("value", 8, 10) }, detector.Observe(state, "level", 8, At(5)));
        Assert.Equal(new DetectorVerdict(true, 15, "level 15 not yet above 15 after 6 s below 10"), detector.Observe(state, "level", 15, At(6)));
        Assert.Equal(new DetectorVerdict(false, 15.5, "level 15.5 back above 15") { Evidence = new DetectorEvidence("value", 15.5, 15) }, detector.Observe(state, "level", 15.5, At(7)));
    }

    [Fact]
    public void Observe_JumpFromHighToLow_ClearsHighAndRaisesLow()
    {
        var detector = new ThresholdDetector(new ThresholdOptions { RaiseAbove = 80, RaiseBelow = 10 });
        var state = (ThresholdState)detector.CreateState();

        Assert.True(detector.Observe(state, "t", 90, At(0)).Anomalous);
        // The record ends the high condition and starts the low one at once: the verdict explains the raise.
        Assert.Equal(new DetectorVerdict(true, 5, "t 5 below 10 for 0 s") { Evidence = new DetectorEvidence("value", 5, 10) }, detector.Observe(state, "t", 5, At(1)));
        Assert.Equal(ThresholdSide.Below, state.Side);
    }

    [Fact]
    public void Observe_EqualTimestamps_AreAccepted()
    {
        var detector = new ThresholdDetector(new ThresholdOptions { RaiseAbove = 80, For = TimeSpan.FromSeconds(1) });
        var state = detector.CreateState();

        Assert.False(detector.Observe(state, "t", 85, At(0)).Anomalous);
        Assert.False(detector.Observe(state, "t", 85, At(0)).Anomalous);
        Assert.True(detector.Observe(state, "t", 85, At(1)).Anomalous);
        Assert.Equal(85, state.LastValue);
        Assert.Equal(At(1), state.LastTimestamp);
    }

    [Fact]
    public void Observe_NotFiniteValue_LeavesStateUnchanged()
    {
        var detector = new ThresholdDetector(new ThresholdOptions { RaiseAbove = 80 });
        var state = detector.CreateState();
        detector.Observe(state, "t", 90, At(0));

        var verdict = detector.Observe(state, "t", double.NaN, At(1));

        Assert.True(verdict.Anomalous);
        Assert.Equal(At(0), state.LastTimestamp);
        Assert.Equal(90, state.LastValue);
    }

    [Theory]
    [InlineData(null, null, null, null, "RaiseAbove or RaiseBelow must be set.")]
    [InlineData(80.0, 90.0, null, null, "ClearBelow must not exceed RaiseAbove.")]
    [InlineData(null, null, 10.0, 5.0, "ClearAbove must not be less than RaiseBelow.")]
    [InlineData(10.0, null, 20.0, null, "RaiseBelow must be less than RaiseAbove.")]
    [InlineData(null, 70.0, 10.0, null, "ClearBelow requires RaiseAbove.")]
    [InlineData(80.0, null, 10.0, 85.0, "ClearAbove must not exceed RaiseAbove.")]
    public void Validate_InvalidLimits_NamesProperty(double? raiseAbove, double? clearBelow, double? raiseBelow, double? clearAbove, string expected)
    {
        var options = new ThresholdOptions { RaiseAbove = raiseAbove, ClearBelow = clearBelow, RaiseBelow = raiseBelow, ClearAbove = clearAbove };

        Assert.Contains(expected, options.Validate());
        Assert.Throws<ArgumentException>(() => new ThresholdDetector(options));
    }

    [Fact]
    public void Validate_NegativeFor_NamesFor()
    {
        var options = new ThresholdOptions { RaiseAbove = 1, For = TimeSpan.FromSeconds(-1) };

        Assert.Equal(["For must not be negative."], options.Validate());
    }

    [Fact]
    public void Validate_BothSidesWithHysteresis_IsValid()
    {
        Assert.Empty(new ThresholdOptions { RaiseAbove = 80, ClearBelow = 70, RaiseBelow = 10, ClearAbove = 20, For = TimeSpan.FromSeconds(5) }.Validate());
    }

    private static DateTimeOffset At(int seconds) => Base.AddSeconds(seconds);
}
