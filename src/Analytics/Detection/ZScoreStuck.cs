namespace DeviceTwins.Analytics.Detection;

/// <summary>
/// The stuck test of a <see cref="ZScoreDetector"/>: the run of exactly repeated values, judged against the longest run the
/// metric has shown. A continuous reading never repeats, so a short run is unprecedented; a coarse or mostly constant one repeats
/// for long, and sets its own bar. The longest run decays toward 1 with a half-life of <see cref="HalfLife"/> records, so a bar
/// set long ago is forgotten. Two ints and a double of state, O(1) work per record.
/// </summary>
internal static class ZScoreStuck
{
    /// <summary>Runs the metric must have completed before a run is judged: the longest of a few says little about the habit.</summary>
    public const int MinRuns = 10;

    /// <summary>Records over which the longest run seen halves its distance to 1.</summary>
    public const int HalfLife = 100_000;

    private static readonly double Decay = Math.Pow(0.5, 1.0 / HalfLife);

    /// <summary>
    /// Folds <paramref name="value"/> (not the first of the metric) into the run; returns whether the run is now stuck.
    /// <paramref name="raised"/> says whether the metric's condition held at the previous record.
    /// </summary>
    public static bool Fold(ZScoreState state, double value, double previous, int minRecords, double factor, bool raised)
    {
        state.LongestRun = 1 + (Math.Max(1, state.LongestRun) - 1) * Decay;
        if (value == previous)
        {
            state.Run = DetectorGuard.Increment(state.Run);
        }
        else
        {
            // A run that ended while raised was the anomaly, not the metric's habit: it does not raise the bar.
            if (!raised)
            {
                state.LongestRun = Math.Max(state.LongestRun, state.Run);
            }

            state.Runs = DetectorGuard.Increment(state.Runs);
            state.Run = 1;
        }

        return IsStuck(state, minRecords, factor);
    }

    private static bool IsStuck(ZScoreState state, int minRecords, double factor) =>
        minRecords > 0 && state.Runs >= MinRuns && state.Run >= minRecords && state.Run > factor * state.LongestRun;
}
