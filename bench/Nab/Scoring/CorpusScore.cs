namespace DeviceTwins.Nab.Scoring;

/// <summary>A corpus scored under one profile, with the baselines NAB normalises against.</summary>
/// <param name="Profile">The cost profile.</param>
/// <param name="Series">Each series' score, in the order the series were given.</param>
/// <param name="NullRaw">Raw corpus score of the null detector (never detects): -A_FN per scored window.</param>
/// <param name="PerfectRaw">Raw corpus score that normalises to 100.</param>
public sealed record CorpusScore(CostProfile Profile, IReadOnlyList<SeriesScore> Series, double NullRaw, double PerfectRaw)
{
    /// <summary>Sum of the series' raw scores.</summary>
    public double Raw => Series.Sum(s => s.Raw);

    /// <summary>NAB's normalised score: 100 * (raw - null) / (perfect - null).</summary>
    public double Normalised => CorpusScorer.Normalise(Raw, NullRaw, PerfectRaw);

    /// <summary>Scored windows over the corpus.</summary>
    public int Windows => Series.Sum(s => s.Windows);

    /// <summary>Scored windows with a detection.</summary>
    public int DetectedWindows => Series.Sum(s => s.DetectedWindows);

    /// <summary>Scored windows without a detection.</summary>
    public int MissedWindows => Series.Sum(s => s.MissedWindows);

    /// <summary>Detections outside every window, after the probationary period.</summary>
    public int FalsePositives => Series.Sum(s => s.FalsePositives);

    /// <summary>NAB's per-record counts over the corpus.</summary>
    public RecordCounts Records => Series.Aggregate(RecordCounts.Zero, (sum, s) => sum + s.Records);
}
