namespace DeviceTwins.Analytics.Detection;

/// <summary>
/// The sustained test of a <see cref="ZScoreDetector"/>: a short-term exponentially weighted mean of |z|, and the long-term mean
/// and variance of that short-term mean. Its score is how many of its own long-term deviations the short-term mean lies above
/// its long-term mean: a run of moderately unusual values (a level shift, a drift, a burst of noise) stands out against how far
/// the short-term mean usually wanders, which is little for independent noise and much for a slowly wandering metric. Four
/// numbers of state and O(1) work per record.
/// </summary>
internal static class ZScoreSustained
{
    /// <summary>|z| is folded capped at this, so one wild value moves the short-term mean by its weight times this at most: the test is about runs, spikes are the envelope's.</summary>
    public const double MaxFolded = 5;

    /// <summary>A run raises only when its values lie this many deviations off on average, however unusual that is for the metric.</summary>
    public const double MinShortDeviation = 2;

    /// <summary>Folds <paramref name="magnitude"/> (|z|) into the statistics and returns the score, 0 until <paramref name="warmUp"/> values are in.</summary>
    public static double Fold(ZScoreState state, double magnitude, double shortAlpha, double longAlpha, int warmUp, double minStdDev)
    {
        var folded = Math.Min(magnitude, MaxFolded);
        if (state.Deviations == 0)
        {
            state.ShortDeviation = folded;
            state.DeviationMean = folded;
            state.DeviationVariance = 0;
            state.Deviations = 1;
            return 0;
        }

        state.ShortDeviation += shortAlpha * (folded - state.ShortDeviation);
        var spread = Math.Max(Math.Sqrt(Math.Max(0, state.DeviationVariance)), minStdDev * Math.Max(1, state.DeviationMean));
        var score = state.Deviations >= warmUp ? (state.ShortDeviation - state.DeviationMean) / spread : 0;
        var difference = state.ShortDeviation - state.DeviationMean;
        var increment = longAlpha * difference;
        state.DeviationMean += increment;
        state.DeviationVariance = (1 - longAlpha) * (state.DeviationVariance + difference * increment);
        state.Deviations = DetectorGuard.Increment(state.Deviations);
        return score;
    }
}
