using DeviceTwins.Analytics.Detection;

namespace DeviceTwins.UnitTests.Analytics.Detection;

public sealed class ZScoreDetectorTests
{
    private static readonly DateTimeOffset Base = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Observe_WelfordSmallWindow_ScoresAgainstBaselineBeforeTheValue()
    {
        var detector = new ZScoreDetector(new ZScoreOptions { Window = 4, WarmUp = 4, RaiseZ = 2.5, ClearZ = 1 });
        var state = detector.CreateState();
        var verdicts = Feed(detector, state, 10, 12, 14, 16);

        Assert.All(verdicts, verdict => Assert.Equal((false, "warming up"), (verdict.Anomalous, verdict.Reason)));
        Assert.Equal(0, verdicts[0].Score);

        // Baseline {10, 12, 14, 16}: mean 13, sample variance 20/3.
        var raised = detector.Observe(state, "temperature", 20, At(4));
        Assert.True(raised.Anomalous);
        Assert.Equal(7 / Math.Sqrt(20.0 / 3), raised.Score, 12);
        Assert.Equal("temperature 20 is 2.711 deviations from the mean 13 (std dev 2.58199), beyond 2.5", raised.Reason);
        Assert.Equal(new DetectorEvidence("|z|", raised.Score, 2.5), raised.Evidence);

        // The window slid to {12, 14, 16, 20}: mean 15.5, sample variance 35/3.
        var cleared = detector.Observe(state, "temperature", 15, At(5));
        Assert.False(cleared.Anomalous);
        Assert.Equal(-0.5 / Math.Sqrt(35.0 / 3), cleared.Score, 12);
        Assert.Equal("temperature 15 back within 1 deviations (z -0.1464)", cleared.Reason);
        Assert.Equal(new DetectorEvidence("|z|", -cleared.Score, 1), cleared.Evidence);

        var baseline = (ZScoreState)state;
        Assert.Equal((6, 4, 2), (baseline.Observed, baseline.Count, baseline.Next));
        Assert.Equal(16.25, baseline.Mean, 12);
    }

    [Fact]
    public void Observe_DuringWarmUp_NeverRaisesEvenForHugeValue()
    {
        var detector = new ZScoreDetector(new ZScoreOptions { WarmUp = 5 });
        var state = detector.CreateState();
        Feed(detector, state, 10, 11, 10, 11);

        var verdict = detector.Observe(state, "t", 1e6, At(10));

        Assert.False(verdict.Anomalous);
        Assert.Equal("warming up", verdict.Reason);
        Assert.True(verdict.Score > 1e5);
    }

    [Fact]
    public void Observe_RightAfterWarmUp_RaisesForHugeValue()
    {
        var detector = new ZScoreDetector(new ZScoreOptions { WarmUp = 5 });
        var state = detector.CreateState();
        Feed(detector, state, 10, 11, 10, 11, 10);

        Assert.True(detector.Observe(state, "t", 1e6, At(10)).Anomalous);
    }

    [Fact]
    public void Observe_WelfordSlidingWindow_MatchesNaiveRecomputation()
    {
        const int window = 50;
        var detector = new ZScoreDetector(new ZScoreOptions { Window = window, WarmUp = 2 });
        var state = (ZScoreState)detector.CreateState();
        var random = new Random(20260101);
        var values = new List<double>();
        for (var i = 0; i < 10_000; i++)
        {
            // Noise around a level that shifts every 1,000 values, far from zero to stress cancellation.
            var value = 1_000 * (1 + i / 1_000) + 10 * random.NextDouble() - 5;
            var verdict = detector.Observe(state, "t", value, At(i));
            if (values.Count >= 2)
            {
                var (mean, std) = Naive(values.TakeLast(window).ToList());
                var expected = (value - mean) / Math.Max(std, 1e-9 * Math.Max(1, Math.Abs(mean)));
                AssertClose(expected, verdict.Score);
            }

            values.Add(value);
            var (windowMean, windowStd) = Naive(values.TakeLast(window).ToList());
            AssertClose(windowMean, state.Mean);
            if (values.Count >= 2)
            {
                AssertClose(windowStd, Math.Sqrt(state.SumSquares / (state.Count - 1)));
            }
        }
    }

    [Fact]
    public void Observe_RobustOddWindow_UsesExactMedianAndMad()
    {
        var detector = new ZScoreDetector(new ZScoreOptions { Method = ZScoreMethod.Robust, Window = 5, WarmUp = 5 });
        var state = detector.CreateState();
        Feed(detector, state, 4, 100, 2, 3, 1);

        // Median 3; deviations {1, 97, 1, 0, 2}: MAD 1, so the outlier 100 does not widen the baseline.
        var verdict = detector.Observe(state, "t", 10, At(5));

        Assert.True(verdict.Anomalous);
        Assert.Equal(7 / 1.4826, verdict.Score, 12);
        Assert.Equal("t 10 is 4.721 deviations from the median 3 (scaled MAD 1.4826), beyond 4", verdict.Reason);
        Assert.Equal(new DetectorEvidence("|z|", verdict.Score, 4), verdict.Evidence);
        Assert.Equal([10.0, 100, 2, 3, 1], ((ZScoreState)state).Window);
        Assert.Equal([1.0, 2, 3, 10, 100], ((ZScoreState)state).Sorted);
    }

    [Fact]
    public void Observe_WelfordWithOutlierInBaseline_DoesNotRaiseWhereRobustDoes()
    {
        var detector = new ZScoreDetector(new ZScoreOptions { Method = ZScoreMethod.Welford, Window = 5, WarmUp = 5 });
        var state = detector.CreateState();
        Feed(detector, state, 4, 100, 2, 3, 1);

        Assert.False(detector.Observe(state, "t", 10, At(5)).Anomalous);
    }

    [Fact]
    public void Observe_RobustEvenWindow_AveragesTheMiddleValues()
    {
        var detector = new ZScoreDetector(new ZScoreOptions { Method = ZScoreMethod.Robust, Window = 4, WarmUp = 4 });
        var state = detector.CreateState();
        Feed(detector, state, 8, 1, 4, 2);

        // Median (2 + 4) / 2 = 3; deviations {5, 2, 1, 1}: MAD (1 + 2) / 2 = 1.5.
        Assert.Equal(6 / (1.5 * 1.4826), detector.Observe(state, "t", 9, At(4)).Score, 12);

        // The oldest value 8 left: window {1, 4, 2, 9}, median 3, deviations {2, 1, 1, 6}: MAD 1.5.
        Assert.Equal(-3 / (1.5 * 1.4826), detector.Observe(state, "t", 0, At(5)).Score, 12);
        Assert.Equal([0.0, 2, 4, 9], ((ZScoreState)state).Sorted);
    }

    [Fact]
    public void Observe_RobustWithDuplicates_SlidesAndFloorsZeroMad()
    {
        var detector = new ZScoreDetector(new ZScoreOptions { Method = ZScoreMethod.Robust, Window = 3, WarmUp = 3 });
        var state = (ZScoreState)detector.CreateState();
        Feed(detector, state, 5, 5, 7, 5, 5, 5);

        Assert.Equal([5.0, 5, 5], state.Sorted);
        Assert.Equal(2 / (1e-9 * 5), detector.Observe(state, "t", 7, At(9)).Score, 3);
        Assert.Equal([5.0, 5, 7], state.Sorted);
    }

    [Fact]
    public void Observe_Ewma_FollowsTheExponentialFormulas()
    {
        var detector = new ZScoreDetector(new ZScoreOptions { Method = ZScoreMethod.Ewma, Alpha = 0.5, WarmUp = 2, RaiseZ = 2.5, ClearZ = 1 });
        var state = (ZScoreState)detector.CreateState();
        Feed(detector, state, 10, 20);

        // mean 10 + 0.5 * 10 = 15; variance 0.5 * (0 + 10 * 5) = 25.
        Assert.Equal((15.0, 25.0), (state.Mean, state.Variance));
        var raised = detector.Observe(state, "t", 30, At(2));
        Assert.Equal(new DetectorVerdict(true, 3, "t 30 is 3 deviations from the weighted mean 15 (std dev 5), beyond 2.5") { Evidence = new DetectorEvidence("|z|", 3, 2.5) }, raised);

        // mean 15 + 7.5 = 22.5; variance 0.5 * (25 + 15 * 7.5) = 68.75.
        Assert.Equal((22.5, 68.75), (state.Mean, state.Variance));

        // |z| = 1.5 lies between ClearZ and RaiseZ: the anomaly holds (hysteresis).
        var held = detector.Observe(state, "t", 22.5 + 1.5 * Math.Sqrt(68.75), At(3));
        Assert.True(held.Anomalous);
        Assert.Equal(1.5, held.Score, 12);
        Assert.Equal("t 34.9373 at z 1.5, not yet back within 1", held.Reason);
        Assert.Null(held.Evidence);

        var mean = state.Mean;
        var cleared = detector.Observe(state, "t", mean, At(4));
        Assert.Equal((false, 0.0), (cleared.Anomalous, cleared.Score));
        Assert.Equal(new DetectorEvidence("|z|", 0, 1), cleared.Evidence);
    }

    [Fact]
    public void Observe_LevelShift_BecomesTheNewNormal()
    {
        var detector = new ZScoreDetector(new ZScoreOptions { Window = 10, WarmUp = 10 });
        var state = detector.CreateState();
        Feed(detector, state, 10, 11, 10, 11, 10, 11, 10, 11, 10, 11);

        var verdicts = Feed(detector, state, 50, 51, 50, 51, 50, 51, 50, 51, 50, 51, 50);

        Assert.True(verdicts[0].Anomalous);
        Assert.False(verdicts[^1].Anomalous);
    }

    [Fact]
    public void Observe_ConstantBaseline_FloorsTheDenominatorRelativeToTheMean()
    {
        var detector = new ZScoreDetector(new ZScoreOptions { WarmUp = 5 });
        var state = detector.CreateState();
        Feed(detector, state, 1000, 1000, 1000, 1000, 1000);

        Assert.Equal(new DetectorVerdict(false, 0, "within the baseline"), detector.Observe(state, "p", 1000, At(10)));
        Assert.Equal((1000.001 - 1000) / (1e-9 * 1000), detector.Observe(state, "p", 1000.001, At(11)).Score, 6);
    }

    [Fact]
    public void Observe_ConstantBaselineNearZero_FloorsTheDenominatorAbsolutely()
    {
        var detector = new ZScoreDetector(new ZScoreOptions { WarmUp = 3 });
        var state = detector.CreateState();
        Feed(detector, state, 0, 0, 0);

        Assert.Equal(1e-6 / 1e-9, detector.Observe(state, "p", 1e-6, At(10)).Score, 6);
    }

    [Fact]
    public void Observe_StateFromAnotherWindow_RestartsTheBaseline()
    {
        var state = new ZScoreDetector(new ZScoreOptions { Window = 4, WarmUp = 2 }).CreateState();
        var detector = new ZScoreDetector(new ZScoreOptions { Window = 8, WarmUp = 2 });
        Feed(detector, state, 1, 2);

        var baseline = (ZScoreState)state;
        Assert.Equal((8, 2), (baseline.Window.Length, baseline.Observed));
    }

    [Theory]
    [InlineData(1, "Window must be between 2 and 1024.")]
    [InlineData(1025, "Window must be between 2 and 1024.")]
    public void Validate_WindowOutOfRange_NamesWindow(int window, string expected)
    {
        Assert.Equal([expected], new ZScoreOptions { Window = window }.Validate());
    }

    [Fact]
    public void Validate_ClearAboveRaise_NamesClearZ()
    {
        Assert.Equal(["ClearZ must not exceed RaiseZ."], new ZScoreOptions { RaiseZ = 2, ClearZ = 3 }.Validate());
    }

    [Fact]
    public void Validate_Defaults_AreValid()
    {
        Assert.Empty(new ZScoreOptions().Validate());
    }

    private static List<DetectorVerdict> Feed(ZScoreDetector detector, DetectorState state, params double[] values)
    {
        var start = state.LastTimestamp is { } last ? (int)(last - Base).TotalSeconds + 1 : 0;
        return values.Select((value, i) => detector.Observe(state, "t", value, At(start + i))).ToList();
    }

    private static (double Mean, double StdDev) Naive(List<double> values)
    {
        var mean = values.Average();
        var variance = values.Count > 1 ? values.Sum(value => (value - mean) * (value - mean)) / (values.Count - 1) : 0;
        return (mean, Math.Sqrt(variance));
    }

    private static void AssertClose(double expected, double actual)
    {
        var tolerance = 1e-9 * Math.Max(1, Math.Abs(expected));
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"expected {expected:R}, got {actual:R}");
    }

    private static DateTimeOffset At(int seconds) => Base.AddSeconds(seconds);
}
