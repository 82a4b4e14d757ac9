namespace DeviceTwins.Nab.Scoring;

/// <summary>NAB's per-record confusion counts over the scored (non-probationary) rows, as in its <c>_scores.csv</c> files.</summary>
/// <param name="TruePositives">Detected rows inside a window (every one, not just the first).</param>
/// <param name="TrueNegatives">Undetected rows outside every window.</param>
/// <param name="FalsePositives">Detected rows outside every window.</param>
/// <param name="FalseNegatives">Undetected rows inside a window.</param>
public sealed record RecordCounts(int TruePositives, int TrueNegatives, int FalsePositives, int FalseNegatives)
{
    /// <summary>No rows.</summary>
    public static RecordCounts Zero { get; } = new(0, 0, 0, 0);

    /// <summary>Rows counted (the scored rows).</summary>
    public int Total => TruePositives + TrueNegatives + FalsePositives + FalseNegatives;

    /// <summary>Sum of two sets of counts.</summary>
    public static RecordCounts operator +(RecordCounts left, RecordCounts right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return new(left.TruePositives + right.TruePositives, left.TrueNegatives + right.TrueNegatives,
            left.FalsePositives + right.FalsePositives, left.FalseNegatives + right.FalseNegatives);
    }
}
