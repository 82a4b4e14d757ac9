namespace DeviceTwins.Analytics.Detection;

/// <summary>
/// The envelope test of a <see cref="ZScoreDetector"/>: the range of past extremes, each edge pushed out by any value beyond it
/// and otherwise decaying toward the baseline's center, halving its distance every half-life. A value breaks out when it lies
/// beyond an edge by more than a margin of deviations. Distribution-free, so heavy tails and several modes raise only on a
/// value beyond everything seen lately.
/// <para>
/// With extrapolation on, a second envelope decays ten times faster. Each edge then estimates a quantile of the metric's tail a
/// decade of probability apart (an edge with half-life h sits near the extreme of about 1.4 h records), so the gap between them
/// is how far the tail reaches per decade: the bar is the slow edge plus that gap times the extrapolation. For a steady metric
/// with a long history this puts the bar a decade further out than the slow edge alone, where independent noise crosses it
/// about a tenth as often, and a heavy tail, whose gap is wide, gets a bar to match. For a calm metric the two edges agree and
/// the bar is the slow edge, as without extrapolation. Four doubles of state and O(1) work per record.
/// </para>
/// </summary>
public static class ZScoreEnvelope
{
    /// <summary>How many times faster the second envelope decays.</summary>
    public const int FastRatio = 10;

    /// <summary>Records, per record seen, within which Gaussian noise reaches the <see cref="RecordFloor"/> about once.</summary>
    public const double RecordFloorScale = 1000;

    /// <summary>The most <see cref="RecordFloor"/> asks: 5 deviations.</summary>
    public const double MaxRecordFloor = 5;

    /// <summary>
    /// The |z| a breakout needs after <paramref name="records"/> records: sqrt(2 ln(1000 n)), about the largest |z| of 1000 n
    /// Gaussian values, capped at 5. A Log and a Sqrt per record.
    /// </summary>
    public static double RecordFloor(int records) => Math.Min(MaxRecordFloor, Math.Sqrt(2 * Math.Log(RecordFloorScale * Math.Max(1, records))));

    /// <summary>The decay per record of an envelope with this half-life in records.</summary>
    public static double Decay(int halfLife) => halfLife > 0 ? Math.Pow(0.5, 1.0 / halfLife) : 0;

    /// <summary>The bar above the center.</summary>
    public static double Above(ZScoreState state, double center, double deviation, double margin, double extrapolation) =>
        center + Bar(state.Upper!.Value - center, (state.FastUpper ?? state.Upper.Value) - center, extrapolation) + margin * deviation;

    /// <summary>The bar below the center.</summary>
    public static double Below(ZScoreState state, double center, double deviation, double margin, double extrapolation) =>
        center - Bar(center - state.Lower!.Value, center - (state.FastLower ?? state.Lower.Value), extrapolation) - margin * deviation;

    /// <summary>
    /// Whether <paramref name="value"/> breaks out of the envelope, beyond the bar of either side and at least
    /// <paramref name="minZ"/> deviations from the center; then folds it in. <paramref name="below"/> and
    /// <paramref name="above"/> are the bars it was judged against (0 before the first value).
    /// </summary>
    public static bool BreaksOut(ZScoreState state, double value, double center, double deviation, double margin, double extrapolation, double minZ, double decay, double fastDecay, out double below, out double above)
    {
        (below, above) = (0, 0);
        if (state.Upper is not { } upper || state.Lower is not { } lower)
        {
            state.Upper = value;
            state.Lower = value;
            state.FastUpper = extrapolation > 0 ? value : null;
            state.FastLower = extrapolation > 0 ? value : null;
            return false;
        }

        (below, above) = (Below(state, center, deviation, margin, extrapolation), Above(state, center, deviation, margin, extrapolation));
        var breaks = (value > above || value < below) && Math.Abs(value - center) >= minZ * deviation;
        state.Upper = Math.Max(value, center + (upper - center) * decay);
        state.Lower = Math.Min(value, center + (lower - center) * decay);
        if (extrapolation > 0)
        {
            state.FastUpper = Math.Max(value, center + ((state.FastUpper ?? upper) - center) * fastDecay);
            state.FastLower = Math.Min(value, center + ((state.FastLower ?? lower) - center) * fastDecay);
        }

        return breaks;
    }

    // The slow edge's distance from the center, pushed out by the extrapolation times how far it reaches beyond the fast one.
    private static double Bar(double slow, double fast, double extrapolation) =>
        Math.Max(0, slow) + extrapolation * Math.Max(0, slow - Math.Max(0, fast));
}
