namespace DeviceTwins.Analytics.Detection;

/// <summary>
/// The sustained test of a <see cref="ZScoreDetector"/>: a short-term and a long-term exponentially weighted mean of |z|, and the
/// long-term variance. Its score is how many long-term deviations the short-term mean lies above the long-term mean, so a run of
/// moderately unusual values (a level shift, a burst of noise) stands out against the metric's own history of surprise, while
/// one isolated value moves the short-term mean only by its weight. Four numbers of state and O(1) work per record.
/// </summary>
internal static class ZScoreSustained
{
    /// <summary>|z| is folded capped at this, so that one wild value cannot dominate the statistics for long.</summary>
    public const double MaxFolded = 1000;

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
        var difference = folded - state.DeviationMean;
        var increment = longAlpha * difference;
        state.DeviationMean += increment;
        state.DeviationVariance = (1 - longAlpha) * (state.DeviationVariance + difference * increment);
        state.Deviations = DetectorGuard.Increment(state.Deviations);
        return score;
    }
}
