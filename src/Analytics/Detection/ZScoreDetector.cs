using System.Globalization;

namespace DeviceTwins.Analytics.Detection;

/// <summary>
/// Raises when a value lies more than <see cref="ZScoreOptions.RaiseZ"/> deviations from a learned baseline, and clears with
/// hysteresis below <see cref="ZScoreOptions.ClearZ"/>. Each value is scored against the baseline before it is added, and every
/// value is added, anomalous or not, so a lasting level shift becomes the new normal. Two optional tests raise too: the envelope
/// test (<see cref="ZScoreOptions.EnvelopeHalfLife"/>), when a value breaks out of the decaying range of past extremes, and the
/// sustained test (<see cref="ZScoreOptions.SustainedZ"/>), when the short-term mean of |z| is unusual for this metric; while
/// either holds |z| or the sustained score at or above ClearZ, the condition stays. Welford and EWMA cost O(1) per record
/// (Welford adds an O(N) exact recomputation every N records to bound drift); Robust keeps a sorted copy of the window, so a
/// record costs a binary search and a move of at most N doubles (N &lt;= 1024): constant time bounded by configuration. The
/// envelope and sustained tests add O(1) work and six numbers of state; nothing is allocated for a record within the baseline.
/// </summary>
public sealed class ZScoreDetector : IMetricDetector
{
    /// <summary>Scales the median absolute deviation to the standard deviation of a normal distribution.</summary>
    public const double MadScale = 1.4826;

    private const string WarmingUp = "warming up";
    private const string WithinBaseline = "within the baseline";

    private readonly ZScoreMethod method;
    private readonly int window;
    private readonly int warmUp;
    private readonly double alpha;
    private readonly double raiseZ;
    private readonly double clearZ;
    private readonly double minStdDev;
    private readonly double envelopeDecay;
    private readonly double envelopeMargin;
    private readonly double envelopeExtrapolation;
    private readonly double fastEnvelopeDecay;
    private readonly int levelWarmUp;
    private readonly int unbiasedAfter;
    private readonly bool recordFloor;
    private readonly double envelopeMinZ;
    private readonly bool floorAtResolution;
    private readonly bool seasonal;
    private readonly int stuckRecords;
    private readonly double stuckFactor;
    private readonly double sustainedZ;
    private readonly double sustainedAlpha;
    private readonly double sustainedBaselineAlpha;

    /// <summary>Creates the detector from validated options, which it copies.</summary>
    public ZScoreDetector(ZScoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        DetectorGuard.ThrowIfInvalid(options.Validate(), nameof(options));
        method = options.Method;
        window = options.Window;
        warmUp = options.WarmUp;
        alpha = options.Alpha;
        raiseZ = options.RaiseZ;
        clearZ = options.ClearZ;
        minStdDev = options.MinStdDev;
        envelopeDecay = ZScoreEnvelope.Decay(options.EnvelopeHalfLife);
        envelopeMargin = options.EnvelopeMargin;
        envelopeExtrapolation = options.EnvelopeExtrapolation;
        fastEnvelopeDecay = ZScoreEnvelope.Decay(Math.Max(1, options.EnvelopeHalfLife / ZScoreEnvelope.FastRatio));
        recordFloor = options.EnvelopeRecordFloor;
        unbiasedAfter = !options.UnbiasedStart || options.Alpha >= 1 ? 0 : (int)Math.Min(int.MaxValue, Math.Ceiling(Math.Log(1e-4) / Math.Log(1 - options.Alpha)) + 1);
        levelWarmUp = Math.Max(options.WarmUp, (int)Math.Min(int.MaxValue, Math.Ceiling(1 / options.SustainedBaselineAlpha)));
        envelopeMinZ = options.EnvelopeMinZ;
        floorAtResolution = options.FloorAtResolution;
        seasonal = options.Seasonal;
        stuckRecords = options.StuckRecords;
        stuckFactor = options.StuckFactor;
        sustainedZ = options.SustainedZ;
        sustainedAlpha = options.SustainedAlpha;
        sustainedBaselineAlpha = options.SustainedBaselineAlpha;
    }

    /// <inheritdoc />
    public DetectorKind Kind => DetectorKind.ZScore;

    /// <inheritdoc />
    public DetectorState CreateState()
    {
        var state = new ZScoreState();
        Reset(state);
        return state;
    }

    /// <inheritdoc />
    public DetectorVerdict Observe(DetectorState state, string metric, double value, DateTimeOffset timestamp)
    {
        var baseline = DetectorGuard.StateAs<ZScoreState>(state);
        if (!double.IsFinite(value))
        {
            return DetectorGuard.NotFinite(state);
        }

        if (!Fits(baseline))
        {
            // The configuration changed (method or window) or the stored state is inconsistent: learn afresh.
            Reset(baseline);
        }

        // With a daily season in use, the baseline and its tests judge the value less the profile; the stuck test, the
        // resolution and the reasons keep the reading itself.
        var judged = seasonal ? ZScoreSeason.Adjust(baseline, value, timestamp, baseline.Anomalous) : value;

        // A metric that has never changed has shown no scale to judge a change by: with the resolution floor it is not warm until it does.
        var warm = baseline.Observed >= warmUp && (!floorAtResolution || baseline.Resolution > 0);
        var (center, spread) = Baseline(baseline);
        var floor = floorAtResolution ? Math.Max(spread, baseline.Resolution) : spread;
        var deviation = Math.Max(floor, minStdDev * Math.Max(1, Math.Abs(center)));
        var z = baseline.Observed == 0 ? 0 : (judged - center) / deviation;
        var magnitude = Math.Abs(z);
        var (lower, upper) = (baseline.Lower, baseline.Upper);
        // A breakout must also beat what independent noise reaches by chance in the records seen so far: early in a metric's
        // life its extremes are those of a few hundred records, and new ones come every few hundred records.
        var minZ = recordFloor && envelopeDecay > 0 ? Math.Max(envelopeMinZ, ZScoreEnvelope.RecordFloor(baseline.Observed)) : envelopeMinZ;
        double below = 0, above = 0;
        var breaksOut = envelopeDecay > 0 && ZScoreEnvelope.BreaksOut(baseline, judged, center, deviation, envelopeMargin, envelopeExtrapolation, minZ, envelopeDecay, fastEnvelopeDecay, out below, out above);
        var firstFold = baseline.Deviations == 0;
        var sustained = sustainedZ > 0 && warm ? ZScoreSustained.Fold(baseline, magnitude, sustainedAlpha, sustainedBaselineAlpha, warmUp, minStdDev) : 0;
        var (level, gap) = sustainedZ > 0 && warm && method == ZScoreMethod.Ewma
            ? ZScoreLevel.Fold(baseline, judged, center, deviation, firstFold, sustainedBaselineAlpha, sustainedBaselineAlpha)
            : (0, 0);
        // The slow mean judges nothing before it has the memory it is meant to have: a trend present from the start is the metric's habit.
        var levelRaise = level > sustainedZ && Math.Abs(gap) >= ZScoreLevel.MinGap * deviation && baseline.Deviations >= levelWarmUp;
        var longestRun = baseline.LongestRun;
        var stuck = baseline.LastValue is { } previous && ZScoreStuck.Fold(baseline, value, previous, stuckRecords, stuckFactor, baseline.Anomalous);
        if (baseline.LastValue is { } last && value != last)
        {
            var change = Math.Abs(value - last);
            baseline.Resolution = baseline.Resolution > 0 ? Math.Min(baseline.Resolution, change) : change;
        }

        Add(baseline, judged);
        baseline.Observed = DetectorGuard.Increment(baseline.Observed);
        baseline.LastTimestamp = timestamp;
        baseline.LastValue = value;

        var wasAnomalous = baseline.Anomalous;
        var sustainedRaise = sustainedZ > 0 && sustained > sustainedZ && baseline.ShortDeviation >= ZScoreSustained.MinShortDeviation;
        stuck &= warm;
        baseline.Anomalous = warm && (wasAnomalous
            ? magnitude >= clearZ || (sustainedZ > 0 && sustained >= clearZ) || stuck || levelRaise
            : magnitude > raiseZ || breaksOut || sustainedRaise || stuck || levelRaise);
        var seasonalNow = baseline.Seasonal;
        string Shown() => seasonalNow ? string.Create(CultureInfo.InvariantCulture, $"{value:G6} ({judged:G6} against its daily profile)") : value.ToString("G6", CultureInfo.InvariantCulture);
        if (baseline.Anomalous)
        {
            if (wasAnomalous && magnitude <= raiseZ)
            {
                return new(true, z, Holding(metric, Shown(), z, sustained, stuck ? baseline.Run : 0, levelRaise ? gap : null));
            }

            // The bar that applied: the envelope's, or the floor of EnvelopeMinZ deviations where that lies further out.
            var bar = judged >= center ? Math.Max(above, center + (minZ * deviation)) : Math.Min(below, center - (minZ * deviation));
            var (reason, evidence) = magnitude > raiseZ
                ? (string.Create(CultureInfo.InvariantCulture, $"{metric} {Shown()} is {z:G4} deviations from the {CenterName} {center:G6} ({SpreadName} {spread:G6}), beyond {raiseZ:G4}"), new DetectorEvidence("|z|", magnitude, raiseZ))
                : breaksOut ? (string.Create(CultureInfo.InvariantCulture, $"{metric} {Shown()} broke out of the range [{lower:G6}, {upper:G6}] of recent extremes{Extrapolated(below, above)} by more than {envelopeMargin:G4} x {SpreadName} {spread:G6}"), new DetectorEvidence("value beyond the envelope", judged, bar))
                : levelRaise && !sustainedRaise ? (string.Create(CultureInfo.InvariantCulture, $"{metric} level {center:G6} has moved {gap:G4} from its long-run level {center - gap:G6}, {level:G4} times as far as it usually strays, beyond {sustainedZ:G4}"), new DetectorEvidence("level score", level, sustainedZ))
                : stuck ? (string.Create(CultureInfo.InvariantCulture, $"{metric} {Shown()} repeated for {baseline.Run} records, more than {stuckFactor:G4} x the longest run {longestRun:G4} it has shown"), new DetectorEvidence("records repeated", baseline.Run, Math.Max(stuckRecords, stuckFactor * longestRun)))
                : (string.Create(CultureInfo.InvariantCulture, $"{metric} {Shown()} continues a sustained deviation: mean |z| {baseline.ShortDeviation:G4} lately, {sustained:G4} deviations above its usual level, beyond {sustainedZ:G4}"), new DetectorEvidence("sustained score", sustained, sustainedZ));
            return new(true, z, reason) { Evidence = evidence };
        }

        return new(false, z, wasAnomalous
            ? string.Create(CultureInfo.InvariantCulture, $"{metric} {Shown()} back within {clearZ:G4} deviations (z {z:G4})")
            : warm ? WithinBaseline : WarmingUp)
        {
            Evidence = wasAnomalous ? new DetectorEvidence("|z|", magnitude, clearZ) : null,
        };
    }

    private string Holding(string metric, string shown, double z, double sustained, int run, double? gap) => run > 0
        ? string.Create(CultureInfo.InvariantCulture, $"{metric} {shown} still repeated, for {run} records")
        : gap is { } moved && Math.Abs(z) < clearZ && !(sustainedZ > 0 && sustained >= clearZ)
        ? string.Create(CultureInfo.InvariantCulture, $"{metric} {shown}: its level is still {moved:G4} from its long-run level")
        : Math.Abs(z) >= clearZ
        ? string.Create(CultureInfo.InvariantCulture, $"{metric} {shown} at z {z:G4}, not yet back within {clearZ:G4}")
        : string.Create(CultureInfo.InvariantCulture, $"{metric} {shown} at z {z:G4}, sustained deviation {sustained:G4} not yet back within {clearZ:G4}");

    private string Extrapolated(double below, double above) => envelopeExtrapolation > 0
        ? string.Create(CultureInfo.InvariantCulture, $", extrapolated to [{below:G6}, {above:G6}],")
        : "";

    private string CenterName => method switch
    {
        ZScoreMethod.Robust => "median",
        ZScoreMethod.Ewma => "weighted mean",
        _ => "mean",
    };

    private string SpreadName => method == ZScoreMethod.Robust ? "scaled MAD" : "std dev";

    private bool Fits(ZScoreState state)
    {
        if (state.Method != method || state.Window is null || state.Sorted is null)
        {
            return false;
        }

        if (method == ZScoreMethod.Ewma)
        {
            return true;
        }

        return state.Window.Length == window
            && (method != ZScoreMethod.Robust || state.Sorted.Length == window)
            && state.Count >= 0 && state.Count <= window
            && state.Next >= 0 && state.Next < window;
    }

    private void Reset(ZScoreState state)
    {
        state.Method = method;
        state.Anomalous = false;
        state.Observed = 0;
        state.Window = method == ZScoreMethod.Ewma ? [] : new double[window];
        state.Sorted = method == ZScoreMethod.Robust ? new double[window] : [];
        state.Count = 0;
        state.Next = 0;
        state.Mean = 0;
        state.SumSquares = 0;
        state.Variance = 0;
        state.SinceRecompute = 0;
        state.Upper = null;
        state.Lower = null;
        state.FastUpper = null;
        state.FastLower = null;
        state.ShortDeviation = 0;
        state.DeviationMean = 0;
        state.DeviationVariance = 0;
        state.Deviations = 0;
        state.Profile = [];
        state.SeasonBin = 0;
        state.BinSum = 0;
        state.BinCount = 0;
        state.SeasonDays = 0;
        state.ProfileMean = 0;
        state.RawMean = 0;
        state.RawVariance = 0;
        state.ResidualVariance = 0;
        state.Seasonal = false;
        state.SlowMean = 0;
        state.GapVariance = 0;
        state.Resolution = 0;
        state.Run = 0;
        state.Runs = 0;
        state.LongestRun = 0;
    }

    private (double Center, double Spread) Baseline(ZScoreState state) => method switch
    {
        ZScoreMethod.Ewma => (state.Mean, Math.Sqrt(Math.Max(0, state.Variance) / EwmaVarianceWeight(state.Observed))),
        ZScoreMethod.Robust => RobustBaseline(state.Sorted, state.Count),
        _ => (state.Mean, state.Count > 1 ? Math.Sqrt(Math.Max(0, state.SumSquares / (state.Count - 1))) : 0),
    };

    // The weight the exponentially weighted variance has gathered after n values (it starts at 0): dividing by it removes the
    // start-up bias that makes every early z too large. A Pow per record while the bias is above one part in 10^4.
    private double EwmaVarianceWeight(int observed) =>
        observed > 1 && observed < unbiasedAfter ? 1 - Math.Pow(1 - alpha, observed - 1) : 1;

    private void Add(ZScoreState state, double value)
    {
        switch (method)
        {
            case ZScoreMethod.Ewma:
                AddEwma(state, value);
                break;
            case ZScoreMethod.Robust:
                AddRobust(state, value);
                break;
            default:
                AddWelford(state, value);
                break;
        }
    }

    private void AddEwma(ZScoreState state, double value)
    {
        if (state.Observed == 0)
        {
            state.Mean = value;
            state.Variance = 0;
            return;
        }

        var difference = value - state.Mean;
        var increment = alpha * difference;
        state.Mean += increment;
        state.Variance = (1 - alpha) * (state.Variance + difference * increment);
    }

    private void AddWelford(ZScoreState state, double value)
    {
        if (state.Count < window)
        {
            state.Window[state.Next] = value;
            state.Next = (state.Next + 1) % window;
            state.Count++;
            var delta = value - state.Mean;
            state.Mean += delta / state.Count;
            state.SumSquares = Math.Max(0, state.SumSquares + delta * (value - state.Mean));
            return;
        }

        var oldest = state.Window[state.Next];
        state.Window[state.Next] = value;
        state.Next = (state.Next + 1) % window;
        var previousMean = state.Mean;
        state.Mean += (value - oldest) / window;
        state.SumSquares = Math.Max(0, state.SumSquares + (value - oldest) * (value - state.Mean + oldest - previousMean));
        state.SinceRecompute++;
        if (state.SinceRecompute >= window)
        {
            Recompute(state);
        }
    }

    private static void Recompute(ZScoreState state)
    {
        var values = state.Window.AsSpan(0, state.Count);
        var sum = 0.0;
        foreach (var value in values)
        {
            sum += value;
        }

        var mean = sum / values.Length;
        var squares = 0.0;
        foreach (var value in values)
        {
            squares += (value - mean) * (value - mean);
        }

        state.Mean = mean;
        state.SumSquares = squares;
        state.SinceRecompute = 0;
    }

    private void AddRobust(ZScoreState state, double value)
    {
        var sorted = state.Sorted;
        if (state.Count == window)
        {
            var oldest = state.Window[state.Next];
            var at = Array.BinarySearch(sorted, 0, state.Count, oldest);
            if (at < 0)
            {
                // The sorted copy disagrees with the ring buffer (a hand-edited state): rebuild it.
                Array.Copy(state.Window, sorted, state.Count);
                Array.Sort(sorted, 0, state.Count);
                at = Array.BinarySearch(sorted, 0, state.Count, oldest);
            }

            Array.Copy(sorted, at + 1, sorted, at, state.Count - at - 1);
            state.Count--;
        }

        state.Window[state.Next] = value;
        state.Next = (state.Next + 1) % window;
        var position = Array.BinarySearch(sorted, 0, state.Count, value);
        if (position < 0)
        {
            position = ~position;
        }

        Array.Copy(sorted, position, sorted, position + 1, state.Count - position);
        sorted[position] = value;
        state.Count++;
    }

    private static (double Median, double ScaledMad) RobustBaseline(double[] sorted, int count)
    {
        if (count == 0)
        {
            return (0, 0);
        }

        var middle = count / 2;
        var median = count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;

        // Deviations from the median grow outward from it on both sides: merge the two runs up to the middle one(s).
        var right = LowerBound(sorted, count, median);
        var left = right - 1;
        var lowRank = (count - 1) / 2;
        var highRank = count / 2;
        var low = 0.0;
        var high = 0.0;
        for (var rank = 0; rank <= highRank; rank++)
        {
            double deviation;
            if (left >= 0 && (right >= count || median - sorted[left] <= sorted[right] - median))
            {
                deviation = median - sorted[left--];
            }
            else
            {
                deviation = sorted[right++] - median;
            }

            if (rank == lowRank)
            {
                low = deviation;
            }

            if (rank == highRank)
            {
                high = deviation;
            }
        }

        return (median, MadScale * (low + high) / 2);
    }

    private static int LowerBound(double[] sorted, int count, double value)
    {
        var low = 0;
        var high = count;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (sorted[middle] < value)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
