using DeviceTwins.Nab.Scoring;

namespace DeviceTwins.NabTests.Scoring;

public sealed class SeriesScorerTests
{
    // 1000 rows: rows 0..149 are probationary; one 100-row window at rows 500..599.
    private const int Rows = 1000;
    private static readonly WindowSpan Window = new(500, 599);

    [Fact]
    public void Score_DetectionMidWindow_IsTheScaledSigmoidOverItsMaximum()
    {
        var score = Score([549], [Window], CostProfile.Standard);

        // Position -(599 - 549 + 1) / 100 = -0.51; 2*sigmoid(2.55) - 1 = tanh(1.275), over tanh(2.5) at the left edge.
        Assert.Equal(Math.Tanh(1.275) / Math.Tanh(2.5), score.Raw, 1e-14);
        Assert.Equal(0.8667490739584967, score.Raw, 1e-14);
        Assert.Equal(1, score.DetectedWindows);
        Assert.Equal(0, score.MissedWindows);
        Assert.Equal(0, score.FalsePositives);
    }

    [Fact]
    public void Score_OnlyTheEarliestDetectionInAWindowCounts()
    {
        var first = Score([510], [Window], CostProfile.Standard);
        var several = Score([590, 510, 520, 599], [Window], CostProfile.Standard);

        Assert.Equal(first.Raw, several.Raw);
        Assert.Equal(1, several.DetectedWindows);
        Assert.Equal(0, several.FalsePositives);
        Assert.Equal(new RecordCounts(4, 750, 0, 96), several.Records);
    }

    [Fact]
    public void Score_FalsePositiveAfterWindow_WeightedByDistancePastItsRightEdge()
    {
        var near = Score([500, 600], [Window], CostProfile.Standard);
        var further = Score([500, 650], [Window], CostProfile.Standard);
        var far = Score([500, 999], [Window], CostProfile.Standard);

        Assert.Equal(1.0 - (Math.Tanh(2.5 / 99) * 0.11), near.Raw, 1e-14);
        Assert.Equal(1.0 - (Math.Tanh(2.5 * 51 / 99) * 0.11), further.Raw, 1e-14);
        Assert.Equal(1.0 - 0.11, far.Raw, 1e-14);
        Assert.Equal(1, further.FalsePositives);
        Assert.Equal(1, further.DetectedWindows);
    }

    [Fact]
    public void Score_FalsePositiveBeforeAnyWindow_CostsTheFullWeightOnEveryProfile()
    {
        Assert.Equal(-1.0 - 0.11, Score([300], [Window], CostProfile.Standard).Raw, 1e-14);
        Assert.Equal(-1.0 - 0.22, Score([300], [Window], CostProfile.RewardLowFalsePositives).Raw, 1e-14);
        Assert.Equal(-2.0 - 0.11, Score([300], [Window], CostProfile.RewardLowFalseNegatives).Raw, 1e-14);
    }

    [Fact]
    public void Score_FalsePositiveBetweenWindows_WeightedByThePrecedingOne()
    {
        WindowSpan[] windows = [new(200, 209), Window];

        var score = Score([200, 230, 500], windows, CostProfile.Standard);

        // 21 rows past a 10-row window: position 21/9 = 2.33, well inside the -1 cap.
        Assert.Equal(2.0 - (Math.Tanh(2.5 * 21 / 9) * 0.11), score.Raw, 1e-14);
        Assert.Equal(2, score.DetectedWindows);
    }

    [Fact]
    public void Score_MissedWindow_CostsTheFalseNegativeWeight()
    {
        Assert.Equal(-1.0, Score([], [Window], CostProfile.Standard).Raw);
        Assert.Equal(-2.0, Score([], [Window], CostProfile.RewardLowFalseNegatives).Raw);
        Assert.Equal(1, Score([], [Window], CostProfile.Standard).MissedWindows);
    }

    [Fact]
    public void Score_DetectionsInProbationaryPeriod_AreIgnored()
    {
        var score = Score([0, 1, 75, 149], [Window], CostProfile.Standard);

        Assert.Equal(-1.0, score.Raw);
        Assert.Equal(0, score.FalsePositives);
        Assert.Equal(new RecordCounts(0, 750, 0, 100), score.Records);
        Assert.Equal(Rows, score.Rows);
    }

    [Fact]
    public void Score_WindowWhollyProbationary_IsNotScored()
    {
        var score = Score([], [new WindowSpan(100, 149)], CostProfile.Standard);

        Assert.Equal(0.0, score.Raw);
        Assert.Equal(0, score.Windows);
    }

    [Fact]
    public void Score_WindowStraddlingProbation_CountsItsFirstDetectionAfterProbation()
    {
        var straddling = new WindowSpan(100, 199);

        var score = Score([100, 160], [straddling], CostProfile.Standard);

        Assert.Equal(ScoringFunction.TruePositive(160, straddling, CostProfile.Standard), score.Raw);
        Assert.Equal(1, score.DetectedWindows);
    }

    [Fact]
    public void Score_FalsePositiveAfterProbationaryWindow_StillWeightedByIt()
    {
        var score = Score([151], [new WindowSpan(100, 149)], CostProfile.Standard);

        Assert.Equal(-Math.Tanh(2.5 * 2 / 49) * 0.11, score.Raw, 1e-14);
    }

    [Fact]
    public void Score_WindowsByTimestamp_MapToTheirRows()
    {
        var start = new DateTime(2015, 2, 26, 21, 42, 53);
        var timestamps = Enumerable.Range(0, Rows).Select(i => start.AddMinutes(5 * i)).ToList();
        var detections = Detections([549]);

        var score = SeriesScorer.Score(timestamps, [new AnomalyWindow(timestamps[500], timestamps[599])], detections, CostProfile.Standard);

        Assert.Equal(Score([549], [Window], CostProfile.Standard).Raw, score.Raw);
    }

    [Fact]
    public void Score_WindowEdgeNotInSeries_Throws()
    {
        var start = new DateTime(2015, 2, 26, 21, 42, 53);
        var timestamps = Enumerable.Range(0, Rows).Select(i => start.AddMinutes(5 * i)).ToList();

        var exception = Assert.Throws<ArgumentException>(() => SeriesScorer.Score(timestamps, [new AnomalyWindow(timestamps[500].AddSeconds(1), timestamps[599])], new bool[Rows], CostProfile.Standard));

        Assert.Contains("2015-02-28 15:22:54", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_OverlappingWindows_Throw()
    {
        Assert.Throws<ArgumentException>(() => Score([], [new WindowSpan(200, 300), new WindowSpan(300, 400)], CostProfile.Standard));
    }

    private static SeriesScore Score(int[] detectedRows, WindowSpan[] windows, CostProfile profile) =>
        SeriesScorer.Score(windows, Detections(detectedRows), profile);

    private static bool[] Detections(int[] detectedRows)
    {
        var detections = new bool[Rows];
        foreach (var row in detectedRows)
        {
            detections[row] = true;
        }

        return detections;
    }
}
