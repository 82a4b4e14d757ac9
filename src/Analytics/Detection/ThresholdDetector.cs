using System.Globalization;

namespace DeviceTwins.Analytics.Detection;

/// <summary>
/// Raises when a value stays above <see cref="ThresholdOptions.RaiseAbove"/> (or below <see cref="ThresholdOptions.RaiseBelow"/>)
/// for at least <see cref="ThresholdOptions.For"/> of event time, and clears with hysteresis once the value is back past the clear limit.
/// </summary>
public sealed class ThresholdDetector : IMetricDetector
{
    private const string WithinLimits = "within limits";
    private const string Pending = "beyond a limit, not yet for long enough";

    private readonly double? raiseAbove;
    private readonly double? clearBelow;
    private readonly double? raiseBelow;
    private readonly double? clearAbove;
    private readonly TimeSpan minimumDuration;

    /// <summary>Creates the detector from validated options, which it copies.</summary>
    public ThresholdDetector(ThresholdOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        DetectorGuard.ThrowIfInvalid(options.Validate(), nameof(options));
        raiseAbove = options.RaiseAbove;
        clearBelow = options.ClearBelow ?? options.RaiseAbove;
        raiseBelow = options.RaiseBelow;
        clearAbove = options.ClearAbove ?? options.RaiseBelow;
        minimumDuration = options.For;
    }

    /// <inheritdoc />
    public DetectorKind Kind => DetectorKind.Threshold;

    /// <inheritdoc />
    public DetectorState CreateState() => new ThresholdState();

    /// <inheritdoc />
    public DetectorVerdict Observe(DetectorState state, string metric, double value, DateTimeOffset timestamp)
    {
        var threshold = DetectorGuard.StateAs<ThresholdState>(state);
        if (!double.IsFinite(value))
        {
            return DetectorGuard.NotFinite(state);
        }

        threshold.LastTimestamp = timestamp;
        threshold.LastValue = value;
        var cleared = ThresholdSide.None;
        if (threshold.Anomalous)
        {
            var stays = threshold.Side == ThresholdSide.Above ? !(value < clearBelow) : !(value > clearAbove);
            if (stays)
            {
                return new(true, value, Raised(threshold, metric, value, timestamp));
            }

            threshold.Anomalous = false;
            cleared = threshold.Side;
        }

        // A record that clears one side may start (or, with For = 0, raise) the other.
        var side = value > raiseAbove ? ThresholdSide.Above : value < raiseBelow ? ThresholdSide.Below : ThresholdSide.None;
        if (side == ThresholdSide.None)
        {
            threshold.Side = ThresholdSide.None;
            threshold.Since = null;
            return new(false, value, cleared == ThresholdSide.None ? WithinLimits : Cleared(cleared, metric, value)) { Evidence = ClearEvidence(cleared, value) };
        }

        if (side != threshold.Side || threshold.Since is null)
        {
            threshold.Side = side;
            threshold.Since = timestamp;
        }

        if (timestamp - threshold.Since.Value >= minimumDuration)
        {
            threshold.Anomalous = true;
            return new(true, value, Raised(threshold, metric, value, timestamp))
            {
                Evidence = new DetectorEvidence("value", value, (side == ThresholdSide.Above ? raiseAbove : raiseBelow).GetValueOrDefault()),
            };
        }

        return new(false, value, cleared == ThresholdSide.None ? Pending : Cleared(cleared, metric, value)) { Evidence = ClearEvidence(cleared, value) };
    }

    private DetectorEvidence? ClearEvidence(ThresholdSide cleared, double value) => cleared switch
    {
        ThresholdSide.Above => new DetectorEvidence("value", value, clearBelow.GetValueOrDefault()),
        ThresholdSide.Below => new DetectorEvidence("value", value, clearAbove.GetValueOrDefault()),
        _ => null,
    };

    private string Raised(ThresholdState state, string metric, double value, DateTimeOffset timestamp)
    {
        var seconds = (timestamp - (state.Since ?? timestamp)).TotalSeconds;
        var (raise, clear, beyond, back) = state.Side == ThresholdSide.Above
            ? (raiseAbove.GetValueOrDefault(), clearBelow.GetValueOrDefault(), value > raiseAbove, "below")
            : (raiseBelow.GetValueOrDefault(), clearAbove.GetValueOrDefault(), value < raiseBelow, "above");
        var direction = state.Side == ThresholdSide.Above ? "above" : "below";
        return beyond
            ? string.Create(CultureInfo.InvariantCulture, $"{metric} {value:G6} {direction} {raise:G6} for {seconds:G6} s")
            : string.Create(CultureInfo.InvariantCulture, $"{metric} {value:G6} not yet {back} {clear:G6} after {seconds:G6} s {direction} {raise:G6}");
    }

    private string Cleared(ThresholdSide side, string metric, double value) => side == ThresholdSide.Above
        ? string.Create(CultureInfo.InvariantCulture, $"{metric} {value:G6} back below {clearBelow.GetValueOrDefault():G6}")
        : string.Create(CultureInfo.InvariantCulture, $"{metric} {value:G6} back above {clearAbove.GetValueOrDefault():G6}");
}
