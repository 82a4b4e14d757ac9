using DeviceTwins.Analytics.Detection;

namespace DeviceTwins.UnitTests.Analytics.Detection;

public sealed class ZScoreSustainedTests
{
    private static readonly DateTimeOffset Base = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // A two-value Welford window makes every z easy to state; |z| alone never raises, so only the sustained test can.
    private static readonly ZScoreOptions Sustained = new()
    {
        Window = 2,
        WarmUp = 10,
        RaiseZ = 100,
        ClearZ = 1,
        SustainedZ = 3,
        SustainedAlpha = 0.5,
        SustainedBaselineAlpha = 0.1,
    };

    [Fact]
    public void Observe_RunOfUnusualValues_RaisesOnTheSustainedScoreAndHoldsUntilItFalls()
    {
        var values = Values();
        var detector = new ZScoreDetector(Sustained);
        var state = (ZScoreState)detector.CreateState();

        var verdicts = values.Select((v, i) => detector.Observe(state, "t", v, Base.AddSeconds(i))).ToList();

        var expected = Reference(values);
        Assert.Equal(expected.Select(e => e.Anomalous), verdicts.Select(v => v.Anomalous));
        var raise = verdicts.FindIndex(v => v.Anomalous);
        Assert.Equal(40, raise);
        Assert.Equal("t 3 continues a sustained deviation: mean |z| 2.405 lately, 13.65 deviations above its usual level, beyond 3", verdicts[raise].Reason);
        Assert.Equal(("sustained score", 3.0), (verdicts[raise].Evidence!.Statistic, verdicts[raise].Evidence!.Threshold));
        Assert.Equal(expected[raise].Score, verdicts[raise].Evidence!.Value, 9);
        // z is (3 - 0.6) / (0.8 / sqrt 2): far below RaiseZ; the alert holds at |z| 1.414 and clears at 0.80.
        Assert.Equal(3 * Math.Sqrt(2), verdicts[raise].Score, 9);
        Assert.Equal([true, true, false], verdicts.Skip(40).Take(3).Select(v => v.Anomalous));
        Assert.Null(verdicts[41].Evidence);
        Assert.Equal(("|z|", 1.0), (verdicts[42].Evidence!.Statistic, verdicts[42].Evidence!.Threshold));
        Assert.Equal(1.7 / (3 / Math.Sqrt(2)), verdicts[42].Evidence!.Value, 9);
        Assert.Equal(expected[^1].Mean, state.DeviationMean, 9);
        Assert.Equal(expected[^1].Variance, state.DeviationVariance, 9);
    }

    [Fact]
    public void Observe_SustainedOff_NeverFoldsDeviations()
    {
        var detector = new ZScoreDetector(new ZScoreOptions { Window = 2, WarmUp = 10, RaiseZ = 100, ClearZ = 1 });
        var state = (ZScoreState)detector.CreateState();

        var values = Values();
        Assert.DoesNotContain(values.Select((v, i) => detector.Observe(state, "t", v, Base.AddSeconds(i))).ToList(), v => v.Anomalous);
        Assert.Equal(0, state.Deviations);
    }

    [Theory]
    [InlineData(-1, 0.25, 0, 0.1, 0.0005, "EnvelopeHalfLife must not be negative.")]
    [InlineData(0, -0.5, 0, 0.1, 0.0005, "EnvelopeMargin must be a finite number, not negative.")]
    [InlineData(0, 0.25, double.NaN, 0.1, 0.0005, "SustainedZ must be a finite number, not negative.")]
    [InlineData(0, 0.25, 3, 0, 0.0005, "SustainedAlpha must be greater than 0 and at most 1.")]
    [InlineData(0, 0.25, 3, 0.1, 1.5, "SustainedBaselineAlpha must be greater than 0 and at most 1.")]
    public void Validate_EnvelopeAndSustainedSettings_NameTheKey(int halfLife, double margin, double sustainedZ, double alpha, double baselineAlpha, string expected)
    {
        var options = new ZScoreOptions { EnvelopeHalfLife = halfLife, EnvelopeMargin = margin, SustainedZ = sustainedZ, SustainedAlpha = alpha, SustainedBaselineAlpha = baselineAlpha };

        Assert.Equal([expected], options.Validate());
    }

    // Forty records alternating around 0 and 1 with a wobble of period 3, then a swing to 3 and back.
    private static List<double> Values()
    {
        var values = Enumerable.Range(0, 40).Select(i => (i % 2) + (0.1 * (i % 3))).ToList();
        values.AddRange([3, 0, 3.2, 0.1, 1, 0.2, 1.1, 0, 1, 0.1]);
        return values;
    }

    // The sustained test as its formulas state it, over z against the mean and sample deviation of the two previous values:
    // |z| capped at 5 into a short mean, whose own long-term mean and variance judge it.
    private static List<(bool Anomalous, double Score, double Mean, double Variance)> Reference(List<double> values)
    {
        var result = new List<(bool, double, double, double)>();
        double shortMean = 0, mean = 0, variance = 0;
        var folded = 0;
        var anomalous = false;
        for (var i = 0; i < values.Count; i++)
        {
            var score = 0.0;
            var magnitude = 0.0;
            if (i >= 10)
            {
                var (a, b) = (values[i - 2], values[i - 1]);
                var center = (a + b) / 2;
                var deviation = Math.Max(Math.Abs(a - b) / Math.Sqrt(2), 1e-9 * Math.Max(1, Math.Abs(center)));
                magnitude = Math.Abs(values[i] - center) / deviation;
                var capped = Math.Min(magnitude, 5);
                if (folded == 0)
                {
                    (shortMean, mean, variance) = (capped, capped, 0);
                }
                else
                {
                    shortMean += 0.5 * (capped - shortMean);
                    score = folded >= 10 ? (shortMean - mean) / Math.Max(Math.Sqrt(variance), 1e-9 * Math.Max(1, mean)) : 0;
                    var difference = shortMean - mean;
                    mean += 0.1 * difference;
                    variance = 0.9 * (variance + difference * 0.1 * difference);
                }

                folded++;
                anomalous = anomalous ? magnitude >= 1 || score >= 1 : score > 3;
            }

            result.Add((anomalous, score, mean, variance));
        }

        return result;
    }
}
