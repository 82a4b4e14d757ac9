using DeviceTwins.Analytics.Detection;

namespace DeviceTwins.UnitTests.Analytics.Detection;

public sealed class ZScoreEnvelopeTests
{
    private static readonly DateTimeOffset Base = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // EWMA baseline halving its memory each record, an envelope halving its distance to the center each record, |z| alone never raises.
    private static readonly ZScoreOptions Envelope = new()
    {
        Method = ZScoreMethod.Ewma,
        Alpha = 0.5,
        WarmUp = 2,
        RaiseZ = 100,
        ClearZ = 1,
        EnvelopeHalfLife = 1,
        EnvelopeMargin = 0.5,
    };

    [Fact]
    public void Observe_ValueWithinTheEnvelope_DoesNotRaiseAndPullsTheEnvelopeIn()
    {
        var detector = new ZScoreDetector(Envelope);
        var state = (ZScoreState)detector.CreateState();
        Feed(detector, state, 10, 20);

        // Envelope [10, 20]; baseline mean 15, variance 25. 21 is within 20 + 0.5 x 5.
        var verdict = detector.Observe(state, "t", 21, At(2));

        Assert.Equal(new DetectorVerdict(false, 1.2, "within the baseline"), verdict);
        // Upper: 21 itself (above 15 + (20 - 15) / 2); lower: 15 + (10 - 15) / 2.
        Assert.Equal((12.5, 21.0), (state.Lower, state.Upper));
    }

    [Fact]
    public void Observe_ValueBeyondTheEnvelopeByTheMargin_RaisesBelowRaiseZ()
    {
        var detector = new ZScoreDetector(Envelope);
        var state = (ZScoreState)detector.CreateState();
        Feed(detector, state, 10, 20, 21);

        // Mean 18, variance 0.5 x (25 + 6 x 3) = 21.5: 30 is beyond 21 + 0.5 x 4.637 with z only 2.588.
        var raised = detector.Observe(state, "t", 30, At(3));

        Assert.True(raised.Anomalous);
        Assert.Equal(12 / Math.Sqrt(21.5), raised.Score, 12);
        Assert.Equal("t 30 broke out of the range [12.5, 21] of recent extremes by more than 0.5 x std dev 4.63681", raised.Reason);
        Assert.Equal((15.25, 30.0), (state.Lower, state.Upper));
    }

    [Fact]
    public void Observe_AfterABreakOut_ClearsWithHysteresisAndTheNewExtremeSetsTheBar()
    {
        var detector = new ZScoreDetector(Envelope);
        var state = (ZScoreState)detector.CreateState();
        Feed(detector, state, 10, 20, 21, 30);

        // Mean 24, variance 0.5 x (21.5 + 12 x 6) = 46.75: 24.5 is back within one deviation.
        var cleared = detector.Observe(state, "t", 24.5, At(4));

        Assert.False(cleared.Anomalous);
        Assert.Equal("t 24.5 back within 1 deviations (z 0.07313)", cleared.Reason);
        // Envelope [19.625, 27] after 24.5 (halfway back to the mean 24 from [15.25, 30]): 29 is within 27 + 0.5 x 4.84.
        Assert.False(detector.Observe(state, "t", 29, At(5)).Anomalous);
    }

    [Fact]
    public void Observe_DuringWarmUp_FoldsTheEnvelopeWithoutRaising()
    {
        var detector = new ZScoreDetector(Envelope);
        var state = (ZScoreState)detector.CreateState();

        var verdicts = Feed(detector, state, 10, 1_000);

        Assert.All(verdicts, v => Assert.Equal((false, "warming up"), (v.Anomalous, v.Reason)));
        Assert.Equal((10.0, 1_000.0), (state.Lower, state.Upper));
    }

    [Fact]
    public void Observe_EnvelopeOff_KeepsNoEnvelope()
    {
        var detector = new ZScoreDetector(new ZScoreOptions { Method = ZScoreMethod.Ewma, Alpha = 0.5, WarmUp = 2, RaiseZ = 100 });
        var state = (ZScoreState)detector.CreateState();

        Assert.False(Feed(detector, state, 10, 20, 21, 30)[^1].Anomalous);
        Assert.Equal((null, null), (state.Lower, state.Upper));
    }

    private static List<DetectorVerdict> Feed(ZScoreDetector detector, ZScoreState state, params double[] values)
    {
        var start = state.LastTimestamp is { } last ? (int)(last - Base).TotalSeconds + 1 : 0;
        return [.. values.Select((value, i) => detector.Observe(state, "t", value, At(start + i)))];
    }

    private static DateTimeOffset At(int seconds) => Base.AddSeconds(seconds);
}
