namespace DeviceTwins.Analytics.Detection;

/// <summary>Parameters of a <see cref="ZScoreDetector"/>.</summary>
public sealed class ZScoreOptions
{
    /// <summary>The largest <see cref="Window"/>, which bounds each record's cost and each state's size.</summary>
    public const int MaxWindow = 1024;

    /// <summary>How the baseline is learned.</summary>
    public ZScoreMethod Method { get; set; } = ZScoreMethod.Welford;

    /// <summary>Values in the sliding window of <see cref="ZScoreMethod.Welford"/> and <see cref="ZScoreMethod.Robust"/> (2 to 1024).</summary>
    public int Window { get; set; } = 100;

    /// <summary>Records folded into the baseline before the detector may raise.</summary>
    public int WarmUp { get; set; } = 30;

    /// <summary>Weight of each new value in the <see cref="ZScoreMethod.Ewma"/> mean and variance, in (0, 1].</summary>
    public double Alpha { get; set; } = 0.05;

    /// <summary>Raise when |z| exceeds this.</summary>
    public double RaiseZ { get; set; } = 4;

    /// <summary>Once raised, clear when |z| falls below this (hysteresis).</summary>
    public double ClearZ { get; set; } = 2;

    /// <summary>Floor of the z denominator: absolute for baselines of magnitude up to 1, relative to |mean| (or |median|) above.</summary>
    public double MinStdDev { get; set; } = 1e-9;

    /// <summary>
    /// Learn a daily profile (mean by hour of day) and, once it explains most of the metric's variance, judge the value less
    /// the profile: a daily season raises nothing, a day without its usual shape does.
    /// </summary>
    public bool Seasonal { get; set; }

    /// <summary>
    /// With <see cref="ZScoreMethod.Ewma"/>, divide the variance by the weight it has gathered so far (it starts at 0), so early
    /// z-scores are not inflated by a variance that has not yet grown to its level.
    /// </summary>
    public bool UnbiasedStart { get; set; }

    /// <summary>
    /// With the envelope on, a breakout must also lie beyond sqrt(2 ln(1000 n)) deviations (n the records seen, at most 5):
    /// what independent Gaussian noise reaches about once in 1000 n records, so a young metric's few extremes set no low bar.
    /// </summary>
    public bool EnvelopeRecordFloor { get; set; }

    /// <summary>
    /// Floor the deviation at the metric's resolution, the smallest change between consecutive values seen, so one step of a
    /// coarse or mostly constant reading is never more than one deviation; a metric that has never changed is then not warm.
    /// </summary>
    public bool FloorAtResolution { get; set; }

    /// <summary>Records over which the envelope of past extremes halves its distance to the baseline's center; 0 turns the envelope test off.</summary>
    public int EnvelopeHalfLife { get; set; }

    /// <summary>With the envelope on, raise when a value breaks out of it by more than this many deviations.</summary>
    public double EnvelopeMargin { get; set; } = 0.25;

    /// <summary>
    /// With the envelope on, how many times the gap between the slow envelope and one decaying ten times faster pushes the bar
    /// beyond the slow one: the tail extrapolated a decade further, so the bar matches the tail the metric has shown; 0 turns
    /// the second envelope off.
    /// </summary>
    public double EnvelopeExtrapolation { get; set; }

    /// <summary>With the envelope on, a breakout must also lie at least this many deviations from the center; 0 sets no floor.</summary>
    public double EnvelopeMinZ { get; set; }

    /// <summary>
    /// Raise when the value repeats exactly for at least this many records and for more than <see cref="StuckFactor"/> times the
    /// longest run the metric has shown; 0 turns the stuck test off.
    /// </summary>
    public int StuckRecords { get; set; }

    /// <summary>How many times the longest run of repeats seen a stuck run must exceed.</summary>
    public double StuckFactor { get; set; } = 2;

    /// <summary>Raise when the short-term mean of |z| lies more than this many of its own deviations above its long-term mean; 0 turns the test off.</summary>
    public double SustainedZ { get; set; }

    /// <summary>Weight of each record's |z| in the short-term mean of the sustained test, in (0, 1].</summary>
    public double SustainedAlpha { get; set; } = 0.1;

    /// <summary>Weight of each record's |z| in the long-term mean and variance of the sustained test, in (0, 1].</summary>
    public double SustainedBaselineAlpha { get; set; } = 0.0005;

    /// <summary>Messages naming each invalid setting, empty when the options are valid.</summary>
    public IEnumerable<string> Validate()
    {
        if (!Enum.IsDefined(Method))
        {
            yield return $"Method must be one of {string.Join(", ", Enum.GetNames<ZScoreMethod>())}.";
        }

        if (Window is < 2 or > MaxWindow)
        {
            yield return $"Window must be between 2 and {MaxWindow}.";
        }

        if (WarmUp < 2)
        {
            yield return "WarmUp must be at least 2.";
        }

        if (!(Alpha > 0 && Alpha <= 1))
        {
            yield return "Alpha must be greater than 0 and at most 1.";
        }

        if (!(RaiseZ > 0 && double.IsFinite(RaiseZ)))
        {
            yield return "RaiseZ must be a positive finite number.";
        }

        if (!(ClearZ >= 0))
        {
            yield return "ClearZ must not be negative.";
        }

        if (ClearZ > RaiseZ)
        {
            yield return "ClearZ must not exceed RaiseZ.";
        }

        if (!(MinStdDev > 0 && double.IsFinite(MinStdDev)))
        {
            yield return "MinStdDev must be a positive finite number.";
        }

        if (EnvelopeHalfLife < 0)
        {
            yield return "EnvelopeHalfLife must not be negative.";
        }

        if (!(EnvelopeMargin >= 0 && double.IsFinite(EnvelopeMargin)))
        {
            yield return "EnvelopeMargin must be a finite number, not negative.";
        }

        if (!(EnvelopeExtrapolation >= 0 && double.IsFinite(EnvelopeExtrapolation)))
        {
            yield return "EnvelopeExtrapolation must be a finite number, not negative.";
        }

        if (!(EnvelopeMinZ >= 0 && double.IsFinite(EnvelopeMinZ)))
        {
            yield return "EnvelopeMinZ must be a finite number, not negative.";
        }

        if (StuckRecords < 0)
        {
            yield return "StuckRecords must not be negative.";
        }

        if (!(StuckFactor >= 1 && double.IsFinite(StuckFactor)))
        {
            yield return "StuckFactor must be a finite number, at least 1.";
        }

        if (!(SustainedZ >= 0 && double.IsFinite(SustainedZ)))
        {
            yield return "SustainedZ must be a finite number, not negative.";
        }

        if (!(SustainedAlpha > 0 && SustainedAlpha <= 1))
        {
            yield return "SustainedAlpha must be greater than 0 and at most 1.";
        }

        if (!(SustainedBaselineAlpha > 0 && SustainedBaselineAlpha <= 1))
        {
            yield return "SustainedBaselineAlpha must be greater than 0 and at most 1.";
        }
    }
}
