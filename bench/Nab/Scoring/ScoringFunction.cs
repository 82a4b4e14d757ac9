namespace DeviceTwins.Nab.Scoring;

/// <summary>NAB v1.1's per-record scoring maths (nab/sweeper.py), kept literal so results match NAB's to the last bits.</summary>
public static class ScoringFunction
{
    /// <summary>Share of each series that is probationary (NAB's runner: 0.15).</summary>
    public const double ProbationaryPercent = 0.15;

    /// <summary>The worth of a detection at a window's left edge before normalisation: 2*sigmoid(5) - 1 = 0.98661.</summary>
    public static double MaxTruePositive { get; } = ScaledSigmoid(-1.0);

    /// <summary>The standard logistic function.</summary>
    public static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    /// <summary>NAB's <c>scaledSigmoid</c>: 2*sigmoid(-5x) - 1 for x up to 3, -1 beyond (a false positive far past a window).</summary>
    public static double ScaledSigmoid(double relativePosition) =>
        relativePosition > 3.0 ? -1.0 : (2 * Sigmoid(-5 * relativePosition)) - 1.0;

    /// <summary>NAB's probationary length: min(floor(0.15 * rows), 0.15 * 5000); rows with a smaller index are not scored.</summary>
    public static double ProbationaryLength(int rows) =>
        Math.Min(Math.Floor(ProbationaryPercent * rows), ProbationaryPercent * 5000);

    /// <summary>The weighted score of a detection at row <paramref name="row"/> inside <paramref name="window"/>.</summary>
    public static double TruePositive(int row, WindowSpan window, CostProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var width = (double)window.Width;
        var position = -(window.Last - row + 1) / width;
        return ScaledSigmoid(position) * profile.TruePositiveWeight / MaxTruePositive;
    }

    /// <summary>The weighted (negative) score of a detection at row <paramref name="row"/> outside every window,
    /// <paramref name="preceding"/> being the last window that ended before it, if any.</summary>
    public static double FalsePositive(int row, WindowSpan? preceding, CostProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (preceding is not { } window)
        {
            return -1.0 * profile.FalsePositiveWeight;
        }

        // NAB divides by (width - 1): a one-row window puts every later false positive at +infinity, hence -1.
        var position = Math.Abs(window.Last - row) / (double)(window.Width - 1);
        return ScaledSigmoid(position) * profile.FalsePositiveWeight;
    }
}
