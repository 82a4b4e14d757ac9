using DeviceTwins.Nab.Scoring;

namespace DeviceTwins.NabTests.Scoring;

public sealed class CorpusScorerTests
{
    public static TheoryData<string> Profiles => new(CostProfile.NabDefaults.Select(p => p.Name));

    // Three series: two windows, none, one window (the last series is long enough to cap probation at 750 rows).
    private static readonly (int Rows, WindowSpan[] Windows)[] Corpus =
    [
        (1000, [new(200, 249), new(600, 699)]),
        (4032, []),
        (6000, [new(3000, 3599)]),
    ];

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Normalised_PerfectDetector_Scores100(string profileName)
    {
        var profile = Profile(profileName);

        var score = CorpusScorer.Score(Series(windows => CorpusScorer.PerfectDetections(windows.Windows, windows.Rows)), profile, CorpusScorer.PerfectRaw(3, profile));

        Assert.Equal(100.0, score.Normalised, 1e-12);
        Assert.Equal(3.0 * profile.TruePositiveWeight, score.Raw, 1e-12);
        Assert.Equal(3, score.DetectedWindows);
        Assert.Equal(0, score.FalsePositives);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Normalised_NullDetector_Scores0(string profileName)
    {
        var profile = Profile(profileName);

        var score = CorpusScorer.Score(Series(s => new bool[s.Rows]), profile, CorpusScorer.PerfectRaw(3, profile));

        Assert.Equal(0.0, score.Normalised);
        Assert.Equal(-3.0 * profile.FalseNegativeWeight, score.NullRaw);
        Assert.Equal(score.NullRaw, score.Raw);
        Assert.Equal(3, score.MissedWindows);
    }

    [Fact]
    public void Normalised_OneWindowFoundAtItsLeftEdgeOneMissedOneFalsePositive_IsHandComputed()
    {
        var score = CorpusScorer.Score(Series(s => s.Rows == 1000 ? Detect(s.Rows, 200, 900) : new bool[s.Rows]), CostProfile.Standard, CorpusScorer.PerfectRaw(3, CostProfile.Standard));

        // Raw: +1 (left edge) - 1 (window 600..699 missed) - 1 (window 3000..3599 missed) - 0.11 * tanh(2.5 * 201 / 99).
        var raw = 1.0 - 1.0 - 1.0 - (0.11 * Math.Tanh(2.5 * 201 / 99));
        Assert.Equal(raw, score.Raw, 1e-14);
        Assert.Equal(100 * (raw + 3) / (3 + 3), score.Normalised, 1e-12);
        Assert.Equal(1, score.DetectedWindows);
        Assert.Equal(2, score.MissedWindows);
        Assert.Equal(1, score.FalsePositives);
    }

    [Fact]
    public void PerfectDetectorRaw_EqualsNabsWindowCountTimesTruePositiveWeight()
    {
        var series = Series(s => new bool[s.Rows]);

        foreach (var profile in CostProfile.NabDefaults)
        {
            Assert.Equal(CorpusScorer.PerfectRaw(3, profile), CorpusScorer.PerfectDetectorRaw(series, profile), 1e-12);
        }
    }

    [Fact]
    public void Normalise_IsHundredTimesDistanceFromNullOverPerfectMinusNull()
    {
        Assert.Equal(50.0, CorpusScorer.Normalise(raw: 0.0, nullRaw: -116.0, perfectRaw: 116.0));
        Assert.Equal(-25.0, CorpusScorer.Normalise(raw: -174.0, nullRaw: -116.0, perfectRaw: 116.0));
    }

    private static List<SeriesDetections> Series(Func<(int Rows, WindowSpan[] Windows), bool[]> detector) =>
        Corpus.Select(s => new SeriesDetections(s.Windows, detector(s))).ToList();

    private static bool[] Detect(int rows, params int[] detectedRows)
    {
        var detections = new bool[rows];
        foreach (var row in detectedRows)
        {
            detections[row] = true;
        }

        return detections;
    }

    private static CostProfile Profile(string name) => CostProfile.NabDefaults.Single(p => p.Name == name);
}
