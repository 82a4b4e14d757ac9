using DeviceTwins.Analytics.Detection;

namespace DeviceTwins.UnitTests.Analytics.Detection;

public sealed class ZScoreStuckTests
{
    private static readonly DateTimeOffset Base = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // |z| alone never raises here (RaiseZ 100), so only the stuck test can.
    private static readonly ZScoreOptions Stuck = new()
    {
        Method = ZScoreMethod.Ewma,
        Alpha = 0.1,
        WarmUp = 5,
        RaiseZ = 100,
        ClearZ = 1,
        StuckRecords = 4,
        StuckFactor = 3,
    };

    [Fact]
    public void Observe_ContinuousReadingFreezes_RaisesOnTheFourthRepeatAndClearsWhenItMoves()
    {
        var detector = new ZScoreDetector(Stuck);
        var state = (ZScoreState)detector.CreateState();
        var verdicts = Feed(detector, state, 10, 11, 10.5, 11.5, 10.2, 10.9, 10.4, 11.2, 10.6, 11.1, 10.8, 10.8, 10.8, 10.8, 10.3);

        // Ten runs of one record each came first: the fourth 10.8 (index 13) is a run of 4 > 3 x 1.
        Assert.Equal(13, verdicts.FindIndex(v => v.Anomalous));
        Assert.Equal([true, false], verdicts.Skip(13).Select(v => v.Anomalous));
        Assert.Equal("t 10.8 repeated for 4 records, more than 3 x the longest run 1 it has shown", verdicts[13].Reason);
        // The run that raised does not raise the bar.
        Assert.Equal((1, 1.0), (state.Run, Math.Round(state.LongestRun, 6)));
    }

    [Fact]
    public void Observe_CoarseReadingThatRepeats_SetsItsOwnBar()
    {
        var detector = new ZScoreDetector(Stuck);
        var state = (ZScoreState)detector.CreateState();

        // Runs of 2 and 3 are the habit: a run of 8 is not more than 3 x 3; a run of 9 is, as the bar of 3 has decayed a hair toward 1.
        var habit = Feed(detector, state, 1, 1, 2, 2, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 2, 2, 2, 2, 2, 2, 2);
        var tenth = detector.Observe(state, "t", 2, Base.AddSeconds(99));

        Assert.DoesNotContain(habit, v => v.Anomalous);
        Assert.True(tenth.Anomalous);
        Assert.Equal("t 2 repeated for 9 records, more than 3 x the longest run 3 it has shown", tenth.Reason);
    }

    [Fact]
    public void Observe_FewerThanTenRunsSeen_DoesNotJudgeARun()
    {
        var detector = new ZScoreDetector(Stuck);
        var state = (ZScoreState)detector.CreateState();

        Assert.DoesNotContain(Feed(detector, state, 10, 11, 10.5, 11.5, 10.2, 10.9, 10.4, 11.2, 10.6, 10.8, 10.8, 10.8, 10.8, 10.8, 10.8), v => v.Anomalous);
        Assert.Equal(9, state.Runs);
    }

    [Fact]
    public void Observe_StuckOff_CountsNothingAgainstTheMetric()
    {
        var detector = new ZScoreDetector(new ZScoreOptions { Method = ZScoreMethod.Ewma, Alpha = 0.1, WarmUp = 5, RaiseZ = 100, ClearZ = 1 });
        var state = (ZScoreState)detector.CreateState();

        Assert.DoesNotContain(Feed(detector, state, 10, 11, 10.5, 11.5, 10.2, 10.8, 10.8, 10.8, 10.8, 10.8, 10.8), v => v.Anomalous);
    }

    [Theory]
    [InlineData(-1, 3, "StuckRecords must not be negative.")]
    [InlineData(10, 0.5, "StuckFactor must be a finite number, at least 1.")]
    public void Validate_StuckSettings_NameTheKey(int records, double factor, string expected) =>
        Assert.Equal([expected], new ZScoreOptions { StuckRecords = records, StuckFactor = factor }.Validate());

    private static List<DetectorVerdict> Feed(ZScoreDetector detector, ZScoreState state, params double[] values) =>
        [.. values.Select((v, i) => detector.Observe(state, "t", v, Base.AddSeconds(i)))];
}
