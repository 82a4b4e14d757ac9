using DeviceTwins.Analytics.Detection;

namespace DeviceTwins.UnitTests.Analytics.Detection;

public sealed class ZScoreLevelTests
{
    private static readonly DateTimeOffset Base = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // |z| alone never raises (RaiseZ 100) and a run of |z| needs a mean of 2 deviations, which a slow drift never reaches.
    private static readonly ZScoreOptions Level = new()
    {
        Method = ZScoreMethod.Ewma,
        Alpha = 0.1,
        WarmUp = 10,
        RaiseZ = 100,
        ClearZ = 1,
        SustainedZ = 6,
        SustainedAlpha = 0.1,
        SustainedBaselineAlpha = 0.002,
    };

    [Fact]
    public void Observe_SlowDrift_RaisesOnTheLevelTestWhereItsFormulasSay()
    {
        var values = Values();
        var detector = new ZScoreDetector(Level);
        var state = (ZScoreState)detector.CreateState();

        var verdicts = values.Select((v, i) => detector.Observe(state, "t", v, Base.AddSeconds(i))).ToList();

        var expected = FirstRaise(values);
        var raise = verdicts.FindIndex(v => v.Anomalous);
        Assert.True(expected > 600, $"the reference raises at {expected}, before the drift");
        Assert.Equal(expected, raise);
        Assert.StartsWith("t level ", verdicts[raise].Reason);
        Assert.Contains("from its long-run level", verdicts[raise].Reason);
    }

    [Fact]
    public void Observe_NoDrift_NeverRaises()
    {
        var detector = new ZScoreDetector(Level);
        var state = (ZScoreState)detector.CreateState();

        Assert.DoesNotContain(Values().Take(600).Select((v, i) => detector.Observe(state, "t", v, Base.AddSeconds(i))).ToList(), v => v.Anomalous);
    }

    [Fact]
    public void Observe_WelfordBaseline_HasNoLevelTest()
    {
        var detector = new ZScoreDetector(new ZScoreOptions { Window = 20, WarmUp = 10, RaiseZ = 100, ClearZ = 1, SustainedZ = 6, SustainedBaselineAlpha = 0.01 });
        var state = (ZScoreState)detector.CreateState();

        _ = Values().Select((v, i) => detector.Observe(state, "t", v, Base.AddSeconds(i))).ToList();

        Assert.Equal((0.0, 0.0), (state.SlowMean, state.GapVariance));
    }

    // Six hundred records alternating 9 and 11, then a drift of 0.1 a record on top.
    private static List<double> Values() =>
        [.. Enumerable.Range(0, 1000).Select(i => (i % 2 == 0 ? 9.0 : 11.0) + (i >= 600 ? 0.1 * (i - 599) : 0))];

    // The level test as its formulas state it: an EWMA baseline (alpha 0.1), a slow mean (0.002) and the variance of their gap
    // (0.002, starting at (0.2 deviations) squared, each gap folded capped at three of its deviations); a raise when the gap is
    // more than 6 of its deviations and at least half a baseline deviation, once the slow mean's memory (1 / 0.002 = 500 warm
    // records) has been folded.
    private static int FirstRaise(List<double> values)
    {
        double mean = 0, variance = 0, slow = 0, gapVariance = 0;
        var folds = 0;
        for (var i = 0; i < values.Count; i++)
        {
            var value = values[i];
            var deviation = Math.Max(Math.Sqrt(variance), 1e-9 * Math.Max(1, Math.Abs(mean)));
            if (i >= 10)
            {
                folds++;
                if (folds == 1)
                {
                    (slow, gapVariance) = (mean, 0.04 * deviation * deviation);
                }
                else
                {
                    var gap = mean - slow;
                    var score = Math.Abs(gap) / Math.Sqrt(gapVariance);
                    if (score > 6 && Math.Abs(gap) >= 0.5 * deviation && folds >= 500)
                    {
                        return i;
                    }

                    slow += 0.002 * (value - slow);
                    gapVariance += 0.002 * (Math.Min(gap * gap, 9 * gapVariance) - gapVariance);
                }
            }

            if (i == 0)
            {
                mean = value;
            }
            else
            {
                var difference = value - mean;
                var increment = 0.1 * difference;
                mean += increment;
                variance = 0.9 * (variance + difference * increment);
            }
        }

        return -1;
    }
}
