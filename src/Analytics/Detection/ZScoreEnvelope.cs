namespace DeviceTwins.Analytics.Detection;

/// <summary>
/// The envelope test of a <see cref="ZScoreDetector"/>: the range of past extremes, each edge pushed out by any value beyond it
/// and otherwise decaying toward the baseline's center, halving its distance every half-life. A value breaks out when it lies
/// beyond an edge by more than a margin of deviations. Distribution-free, so heavy tails and several modes raise only on a
/// value beyond everything seen lately. Two doubles of state and O(1) work per record.
/// </summary>
internal static class ZScoreEnvelope
{
    /// <summary>The decay per record of an envelope with this half-life in records.</summary>
    public static double Decay(int halfLife) => halfLife > 0 ? Math.Pow(0.5, 1.0 / halfLife) : 0;

    /// <summary>
    /// Whether <paramref name="value"/> breaks out of the envelope: beyond an edge's distance from the center grown by
    /// <paramref name="growth"/>, plus <paramref name="margin"/> deviations, and at least <paramref name="minZ"/> deviations from the
    /// center. Then folds it in.
    /// </summary>
    public static bool BreaksOut(ZScoreState state, double value, double center, double deviation, double margin, double growth, double minZ, double decay)
    {
        if (state.Upper is not { } upper || state.Lower is not { } lower)
        {
            state.Upper = value;
            state.Lower = value;
            return false;
        }

        var above = center + Math.Max(0, upper - center) * (1 + growth) + margin * deviation;
        var below = center - Math.Max(0, center - lower) * (1 + growth) - margin * deviation;
        var breaks = (value > above || value < below) && Math.Abs(value - center) >= minZ * deviation;
        state.Upper = Math.Max(value, center + (upper - center) * decay);
        state.Lower = Math.Min(value, center + (lower - center) * decay);
        return breaks;
    }
}
