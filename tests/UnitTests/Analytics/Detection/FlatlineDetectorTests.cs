using DeviceTwins.Analytics.Detection;

namespace DeviceTwins.UnitTests.Analytics.Detection;

public sealed class FlatlineDetectorTests
{
    private static readonly DateTimeOffset Base = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Observe_RunReachingMinRecords_RaisesAndClearsWhenValueLeaves()
    {
        var detector = new FlatlineDetector(new FlatlineOptions { Epsilon = 0.1, MinRecords = 3 });
        var state = detector.CreateState();

        Assert.Equal(new DetectorVerdict(false, 1, "no flat run long enough"), detector.Observe(state, "flow", 5, At(0)));
        Assert.Equal(new DetectorVerdict(false, 2, "no flat run long enough"), detector.Observe(state, "flow", 5.05, At(1)));
        Assert.Equal(new DetectorVerdict(true, 3, "flow flat at 5 (within 0.1) for 3 records over 2 s") { Evidence = new DetectorEvidence("records unchanged", 3, 3) }, detector.Observe(state, "flow", 4.95, At(2)));
        Assert.Equal(new DetectorVerdict(true, 4, "flow flat at 5 (within 0.1) for 4 records over 3 s") { Evidence = new DetectorEvidence("records unchanged", 4, 3) }, detector.Observe(state, "flow", 5.1, At(3)));
        Assert.Equal(new DetectorVerdict(false, 1, "flow 5.2 left the flat run at 5") { Evidence = new DetectorEvidence("change from the flat value", 5.2 - 5, 0.1) }, detector.Observe(state, "flow", 5.2, At(4)));
        Assert.Equal(new DetectorVerdict(false, 2, "no flat run long enough"), detector.Observe(state, "flow", 5.2, At(5)));
        Assert.True(detector.Observe(state, "flow", 5.2, At(6)).Anomalous);
    }

    [Fact]
    public void Observe_RunReachingMinDuration_RaisesExactlyAtStartPlusDuration()
    {
        var detector = new FlatlineDetector(new FlatlineOptions { MinDuration = TimeSpan.FromSeconds(60) });
        var state = detector.CreateState();

        Assert.False(detector.Observe(state, "rpm", 7, At(0)).Anomalous);
        Assert.False(detector.Observe(state, "rpm", 7, At(30)).Anomalous);
        Assert.False(detector.Observe(state, "rpm", 7, At(60).AddTicks(-1)).Anomalous);
        Assert.Equal(new DetectorVerdict(true, 60, "rpm flat at 7 (within 0) for 4 records over 60 s") { Evidence = new DetectorEvidence("seconds unchanged", 60, 60) }, detector.Observe(state, "rpm", 7, At(60)));
        Assert.Equal(new DetectorVerdict(false, 0, "rpm 7.5 left the flat run at 7") { Evidence = new DetectorEvidence("change from the flat value", 0.5, 0) }, detector.Observe(state, "rpm", 7.5, At(61)));
        Assert.Equal(At(61), ((FlatlineState)state).RunStart);
    }

    [Fact]
    public void Observe_BothLimits_RaisesOnWhicheverComesFirst()
    {
        var detector = new FlatlineDetector(new FlatlineOptions { MinRecords = 10, MinDuration = TimeSpan.FromSeconds(20) });
        var state = detector.CreateState();

        Assert.False(detector.Observe(state, "t", 1, At(0)).Anomalous);
        // 2 of 10 records, but 20 s of 20 s: the duration raises.
        Assert.Equal(new DetectorVerdict(true, 2, "t flat at 1 (within 0) for 2 records over 20 s") { Evidence = new DetectorEvidence("seconds unchanged", 20, 20) }, detector.Observe(state, "t", 1, At(20)));
    }

    [Theory]
    [InlineData(0.0, null, null, "MinRecords or MinDuration must be set.")]
    [InlineData(0.0, 1, null, "MinRecords must be at least 2.")]
    [InlineData(-1.0, 3, null, "Epsilon must be a finite number, not negative.")]
    [InlineData(0.0, null, 0, "MinDuration must be positive.")]
    public void Validate_InvalidSettings_NamesProperty(double epsilon, int? minRecords, int? minSeconds, string expected)
    {
        var options = new FlatlineOptions { Epsilon = epsilon, MinRecords = minRecords, MinDuration = minSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null };

        Assert.Equal([expected], options.Validate());
        Assert.Throws<ArgumentException>(() => new FlatlineDetector(options));
    }

    private static DateTimeOffset At(int seconds) => Base.AddSeconds(seconds);
}
