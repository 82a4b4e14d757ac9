using DeviceTwins.Nab.Scoring;

namespace DeviceTwins.NabTests.Scoring;

public sealed class ScoringFunctionTests
{
    [Fact]
    public void ScaledSigmoid_WindowEdgesAndFarPast_MatchNabDocstring()
    {
        // 2*sigmoid(-5x) - 1 = tanh(-5x/2).
        Assert.Equal(Math.Tanh(2.5), ScoringFunction.ScaledSigmoid(-1.0), 1e-14);
        Assert.Equal(0.98661, ScoringFunction.ScaledSigmoid(-1.0), 5);
        Assert.Equal(0.84828, ScoringFunction.ScaledSigmoid(-0.5), 5);
        Assert.Equal(0.0, ScoringFunction.ScaledSigmoid(0.0));
        Assert.Equal(-0.98661, ScoringFunction.ScaledSigmoid(1.0), 5);
        Assert.Equal(Math.Tanh(-7.5), ScoringFunction.ScaledSigmoid(3.0), 1e-14);
        Assert.Equal(-1.0, ScoringFunction.ScaledSigmoid(3.0001));
    }

    [Theory]
    [InlineData(100, 15)]
    [InlineData(1000, 150)]
    [InlineData(4032, 604)]
    [InlineData(5000, 750)]
    [InlineData(22695, 750)]
    public void ProbationaryLength_FifteenPercentFlooredCappedAt750(int rows, double expected)
    {
        Assert.Equal(expected, ScoringFunction.ProbationaryLength(rows));
    }

    [Fact]
    public void TruePositive_LeftEdge_IsExactlyTheTruePositiveWeight()
    {
        var window = new WindowSpan(500, 599);

        Assert.Equal(1.0, ScoringFunction.TruePositive(500, window, CostProfile.Standard));
        Assert.Equal(2.5, ScoringFunction.TruePositive(500, window, CostProfile.Standard with { TruePositiveWeight = 2.5 }), 1e-15);
    }

    [Fact]
    public void TruePositive_RightEdge_IsOneWidthShortOfZero()
    {
        // NAB's position is -(right - row + 1) / width, so the last row sits at -1/width, not 0.
        Assert.Equal(Math.Tanh(0.025) / Math.Tanh(2.5), ScoringFunction.TruePositive(599, new WindowSpan(500, 599), CostProfile.Standard), 1e-14);
        Assert.Equal(0.025333905068325228, ScoringFunction.TruePositive(599, new WindowSpan(500, 599), CostProfile.Standard), 1e-14);
    }

    [Fact]
    public void FalsePositive_NoPrecedingWindow_CostsTheFullWeight()
    {
        Assert.Equal(-0.11, ScoringFunction.FalsePositive(10, null, CostProfile.Standard));
        Assert.Equal(-0.22, ScoringFunction.FalsePositive(10, null, CostProfile.RewardLowFalsePositives));
    }

    [Fact]
    public void FalsePositive_AfterWindow_WeightedByDistanceOverWidthLessOne()
    {
        var window = new WindowSpan(500, 599);

        // 51 rows past a 100-row window: position 51/99.
        Assert.Equal(-Math.Tanh(2.5 * 51 / 99) * 0.11, ScoringFunction.FalsePositive(650, window, CostProfile.Standard), 1e-14);
        Assert.Equal(-0.0027771874746165, ScoringFunction.FalsePositive(600, window, CostProfile.Standard), 1e-14);
        Assert.Equal(-0.11, ScoringFunction.FalsePositive(599 + 298, window, CostProfile.Standard));
    }
}
