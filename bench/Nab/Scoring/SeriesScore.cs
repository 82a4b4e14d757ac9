namespace DeviceTwins.Nab.Scoring;

/// <summary>One series scored under one profile.</summary>
/// <param name="Raw">NAB's raw score: the best true positive (or -A_FN) of each scored window plus every weighted false positive.</param>
/// <param name="Windows">Windows that reach past the probationary period (the only ones NAB scores).</param>
/// <param name="DetectedWindows">Scored windows with at least one detection after the probationary period.</param>
/// <param name="FalsePositives">Detections after the probationary period outside every window.</param>
/// <param name="Records">NAB's per-record counts.</param>
/// <param name="Rows">Rows in the series, probationary ones included (NAB's Total_Count).</param>
public sealed record SeriesScore(double Raw, int Windows, int DetectedWindows, int FalsePositives, RecordCounts Records, int Rows)
{
    /// <summary>Scored windows with no detection.</summary>
    public int MissedWindows => Windows - DetectedWindows;
}
