namespace DeviceTwins.Nab.Scoring;

/// <summary>Scores a corpus and normalises it the way NAB v1.1's runner does (nab/runner.py, <c>normalize</c>).</summary>
public static class CorpusScorer
{
    /// <summary>Scores every series and computes the null baseline by scoring a detector that never fires.</summary>
    public static CorpusScore Score(IReadOnlyList<SeriesDetections> series, CostProfile profile, double perfectRaw)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(profile);

        var scores = series.Select(s => SeriesScorer.Score(s.Windows, s.Detections, profile)).ToList();
        var nullRaw = series.Sum(s => SeriesScorer.Score(s.Windows, new bool[s.Detections.Count], profile).Raw);
        return new CorpusScore(profile, scores, nullRaw, perfectRaw);
    }

    /// <summary>100 * (raw - null) / (perfect - null).</summary>
    public static double Normalise(double raw, double nullRaw, double perfectRaw) =>
        100 * (raw - nullRaw) / (perfectRaw - nullRaw);

    /// <summary>NAB's perfect score: the number of windows times A_TP.</summary>
    /// <remarks>NAB's run.py hands the windows file to the runner as its "labels", so <c>normalize</c> counts windows
    /// (116 on the 58 series), not the anomalies of combined_labels.json (120). It equals the perfect detector's raw
    /// score unless a window lies wholly in a probationary period.</remarks>
    public static double PerfectRaw(int windowCount, CostProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return windowCount * profile.TruePositiveWeight;
    }

    /// <summary>Raw corpus score of the perfect detector, which detects once at each window's left edge.</summary>
    public static double PerfectDetectorRaw(IReadOnlyList<SeriesDetections> series, CostProfile profile)
    {
        ArgumentNullException.ThrowIfNull(series);
        return series.Sum(s => SeriesScorer.Score(s.Windows, PerfectDetections(s.Windows, s.Detections.Count), profile).Raw);
    }

    /// <summary>The perfect detector's output: a detection at the first row of each window and nowhere else.</summary>
    public static bool[] PerfectDetections(IReadOnlyList<WindowSpan> windows, int rows)
    {
        ArgumentNullException.ThrowIfNull(windows);
        var detections = new bool[rows];
        foreach (var window in windows)
        {
            detections[window.First] = true;
        }

        return detections;
    }
}
