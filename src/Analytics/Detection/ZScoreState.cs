namespace DeviceTwins.Analytics.Detection;

/// <summary>State of a <see cref="ZScoreDetector"/> for one (device, rule, metric): the baseline it has learned.</summary>
public sealed class ZScoreState : DetectorState
{
    // The envelope's edges as plain doubles, NaN for none: 32 bytes less per metric than nullable fields.
    private double _upper = double.NaN;
    private double _lower = double.NaN;
    private double _fastUpper = double.NaN;
    private double _fastLower = double.NaN;

    /// <summary>The method that built this baseline; a different configured method restarts it.</summary>
    public ZScoreMethod Method { get; set; }

    /// <summary>Records folded into the baseline, stopping at <see cref="int.MaxValue"/>.</summary>
    public int Observed { get; set; }

    /// <summary>Ring buffer of the last values in arrival order (Welford and Robust; empty for EWMA).</summary>
    public double[] Window { get; set; } = [];

    /// <summary>Values held in <see cref="Window"/>.</summary>
    public int Count { get; set; }

    /// <summary>Slot of <see cref="Window"/> the next value is written to: the oldest value once the window is full.</summary>
    public int Next { get; set; }

    /// <summary>The first <see cref="Count"/> slots hold the window's values in ascending order (Robust only; empty otherwise).</summary>
    public double[] Sorted { get; set; } = [];

    /// <summary>Mean of the window (Welford) or exponentially weighted mean (EWMA).</summary>
    public double Mean { get; set; }

    /// <summary>Sum of squared deviations from <see cref="Mean"/> over the window (Welford).</summary>
    public double SumSquares { get; set; }

    /// <summary>Exponentially weighted variance (EWMA).</summary>
    public double Variance { get; set; }

    /// <summary>Sliding updates since <see cref="Mean"/> and <see cref="SumSquares"/> were last recomputed exactly (Welford).</summary>
    public int SinceRecompute { get; set; }

    /// <summary>Upper edge of the envelope of past extremes; null before the first value, or while the envelope test is off.</summary>
    public double? Upper { get => Optional(_upper); set => _upper = value ?? double.NaN; }

    /// <summary>Lower edge of the envelope of past extremes; null before the first value, or while the envelope test is off.</summary>
    public double? Lower { get => Optional(_lower); set => _lower = value ?? double.NaN; }

    /// <summary>Upper edge of the envelope that decays ten times faster; null unless extrapolation is on.</summary>
    public double? FastUpper { get => Optional(_fastUpper); set => _fastUpper = value ?? double.NaN; }

    /// <summary>Lower edge of the envelope that decays ten times faster; null unless extrapolation is on.</summary>
    public double? FastLower { get => Optional(_fastLower); set => _fastLower = value ?? double.NaN; }

    /// <summary>Short-term exponentially weighted mean of |z| (sustained test).</summary>
    public double ShortDeviation { get; set; }

    /// <summary>Long-term exponentially weighted mean of <see cref="ShortDeviation"/> (sustained test).</summary>
    public double DeviationMean { get; set; }

    /// <summary>Long-term exponentially weighted variance of <see cref="ShortDeviation"/> (sustained test).</summary>
    public double DeviationVariance { get; set; }

    /// <summary>Values of |z| folded into the sustained test since warm-up, stopping at <see cref="int.MaxValue"/>.</summary>
    public int Deviations { get; set; }

    /// <summary>Slow exponentially weighted mean of the values (level test).</summary>
    public double SlowMean { get; set; }

    /// <summary>Exponentially weighted variance of the gap between the baseline's center and <see cref="SlowMean"/> (level test).</summary>
    public double GapVariance { get; set; }

    /// <summary>Mean by hour of day (UTC), NaN for an hour not yet seen; empty while the season is off.</summary>
    public float[] Profile { get; set; } = [];

    /// <summary>The hour of day of the latest record (season).</summary>
    public int SeasonBin { get; set; }

    /// <summary>Sum of this hour's values today (season).</summary>
    public double BinSum { get; set; }

    /// <summary>Count of this hour's values today (season).</summary>
    public int BinCount { get; set; }

    /// <summary>Midnights passed since the profile started (season).</summary>
    public int SeasonDays { get; set; }

    /// <summary>Mean of the profile's known hours (season).</summary>
    public double ProfileMean { get; set; }

    /// <summary>Long-run exponentially weighted mean of the values (season).</summary>
    public double RawMean { get; set; }

    /// <summary>Long-run exponentially weighted variance of the values (season).</summary>
    public double RawVariance { get; set; }

    /// <summary>Long-run exponentially weighted mean square of the values less the profile (season).</summary>
    public double ResidualVariance { get; set; }

    /// <summary>Whether the baseline sees the values less the profile.</summary>
    public bool Seasonal { get; set; }

    /// <summary>The smallest change between consecutive values seen, the metric's resolution; 0 until the value first changes.</summary>
    public double Resolution { get; set; }

    /// <summary>Consecutive records, the latest included, that repeated the same value (stuck test).</summary>
    public int Run { get; set; }

    /// <summary>Runs of repeated values completed, stopping at <see cref="int.MaxValue"/> (stuck test).</summary>
    public int Runs { get; set; }

    /// <summary>The longest run of repeated values that did not raise, decaying toward 1 (stuck test).</summary>
    public double LongestRun { get; set; }

    private static double? Optional(double value) => double.IsNaN(value) ? null : value;
}
