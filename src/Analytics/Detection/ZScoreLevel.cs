namespace DeviceTwins.Analytics.Detection;

/// <summary>
/// The level test of a <see cref="ZScoreDetector"/> with an exponentially weighted baseline: the baseline's center against a
/// mean ten or more times slower, their gap judged by how far it usually wanders. The baseline follows a slow drift and its
/// spread swells with the lag, so no z shows a drift; the gap to the slow mean does. Two doubles of state, O(1) work per record.
/// </summary>
internal static class ZScoreLevel
{
    /// <summary>A gap is folded into its variance capped at this many of its deviations.</summary>
    public const double MaxFolded = 3;

    /// <summary>The gap's deviation, in the baseline's deviations, assumed before the metric has shown its own.</summary>
    public const double PriorGap = 0.2;

    /// <summary>A gap raises only when it is also at least this many of the baseline's deviations.</summary>
    public const double MinGap = 0.5;

    /// <summary>
    /// Folds <paramref name="value"/> and returns the gap between <paramref name="center"/> and the slow mean, in its own usual
    /// deviations (0 on the first fold). The slow mean moves by <paramref name="slowAlpha"/>; the gap's variance by
    /// <paramref name="varianceAlpha"/>, so it learns how far a wandering metric's center strays as fast as the center moves.
    /// </summary>
    public static (double Score, double Gap) Fold(ZScoreState state, double value, double center, double deviation, bool first, double slowAlpha, double varianceAlpha)
    {
        if (first)
        {
            // Until it has learned how far this metric's center strays, assume it strays PriorGap deviations.
            state.SlowMean = center;
            state.GapVariance = PriorGap * PriorGap * deviation * deviation;
            return (0, 0);
        }

        var gap = center - state.SlowMean;
        var spread = Math.Sqrt(Math.Max(0, state.GapVariance));
        var score = spread > 0 ? Math.Abs(gap) / spread : 0;
        state.SlowMean += slowAlpha * (value - state.SlowMean);
        // A gap beyond three of its deviations counts as three: a drift must not teach the test that drifting is usual.
        state.GapVariance += varianceAlpha * (Math.Min(gap * gap, MaxFolded * MaxFolded * state.GapVariance) - state.GapVariance);
        return (score, gap);
    }
}
