using DeviceTwins.Analytics.Detection;

namespace DeviceTwins.UnitTests.Analytics.Detection;

public sealed class RateOfChangeDetectorTests
{
    private static readonly DateTimeOffset Base = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Observe_UnevenGaps_ComputesRatePerSecond()
    {
        var detector = new RateOfChangeDetector(new RateOfChangeOptions { MaxPerSecond = 2 });
        var state = detector.CreateState();

        Assert.Equal(new DetectorVerdict(false, 0, "first record, no rate yet"), detector.Observe(state, "level", 10, At(0)));
        Assert.Equal(new DetectorVerdict(false, 1, "within the rate limit"), detector.Observe(state, "level", 14, At(4)));
        Assert.Equal(new DetectorVerdict(false, 2, "within the rate limit"), detector.Observe(state, "level", 13, At(4.5)));
        Assert.Equal(new DetectorVerdict(true, 7, "level changed from 13 to 20 in 1 s: 7 per s, limit 2") { Evidence = new DetectorEvidence("change per second", 7, 2) }, detector.Observe(state, "level", 20, At(5.5)));
        Assert.Equal(new DetectorVerdict(false, 0.25, "level rate 0.25 per s back within 2") { Evidence = new DetectorEvidence("change per second", 0.25, 2) }, detector.Observe(state, "level", 15, At(25.5)));
    }

    [Fact]
    public void Observe_EqualTimestamp_LeavesVerdictUnchangedAndMeasuresFromLatestValue()
    {
        var detector = new RateOfChangeDetector(new RateOfChangeOptions { MaxPerSecond = 2 });
        var state = detector.CreateState();
        detector.Observe(state, "level", 10, At(0));
        Assert.True(detector.Observe(state, "level", 20, At(2)).Anomalous);

        Assert.Equal(new DetectorVerdict(true, 5, "same timestamp as the previous record, rate unchanged"), detector.Observe(state, "level", 30, At(2)));
        Assert.Equal(new DetectorVerdict(false, 1, "level rate 1 per s back within 2") { Evidence = new DetectorEvidence("change per second", 1, 2) }, detector.Observe(state, "level", 32, At(4)));
    }

    [Fact]
    public void Observe_ClearRateBelowMax_HoldsUntilAtMostClearRate()
    {
        var detector = new RateOfChangeDetector(new RateOfChangeOptions { MaxPerSecond = 2, ClearPerSecond = 0.5 });
        var state = detector.CreateState();
        detector.Observe(state, "level", 0, At(0));

        Assert.True(detector.Observe(state, "level", 3, At(1)).Anomalous);
        Assert.True(detector.Observe(state, "level", 4, At(2)).Anomalous);
        Assert.False(detector.Observe(state, "level", 3, At(4)).Anomalous);
        Assert.False(detector.Observe(state, "level", 4.5, At(5)).Anomalous);
        Assert.True(detector.Observe(state, "level", 7, At(6)).Anomalous);
    }

    [Theory]
    [InlineData(0, null, "MaxPerSecond must be a positive finite number.")]
    [InlineData(2, 3.0, "ClearPerSecond must not exceed MaxPerSecond.")]
    [InlineData(2, -1.0, "ClearPerSecond must be a finite number, not negative.")]
    public void Validate_InvalidRates_NamesProperty(double max, double? clear, string expected)
    {
        var options = new RateOfChangeOptions { MaxPerSecond = max, ClearPerSecond = clear };

        Assert.Equal([expected], options.Validate());
        Assert.Throws<ArgumentException>(() => new RateOfChangeDetector(options));
    }

    private static DateTimeOffset At(double seconds) => Base.AddTicks((long)(seconds * TimeSpan.TicksPerSecond));
}
