using System.Globalization;

namespace DeviceTwins.Analytics.Detection;

/// <summary>
/// Raises when |value - previous value| / (seconds between the two records) exceeds <see cref="RateOfChangeOptions.MaxPerSecond"/>,
/// and clears when it is back at most <see cref="RateOfChangeOptions.ClearPerSecond"/>. A record with the same timestamp as the
/// previous one yields no rate and leaves the verdict unchanged; the next rate is measured from its value.
/// </summary>
public sealed class RateOfChangeDetector : IMetricDetector
{
    private const string FirstRecord = "first record, no rate yet";
    private const string SameTimestamp = "same timestamp as the previous record, rate unchanged";
    private const string WithinLimit = "within the rate limit";

    private readonly double maxPerSecond;
    private readonly double clearPerSecond;

    /// <summary>Creates the detector from validated options, which it copies.</summary>
    public RateOfChangeDetector(RateOfChangeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        DetectorGuard.ThrowIfInvalid(options.Validate(), nameof(options));
        maxPerSecond = options.MaxPerSecond;
        clearPerSecond = options.ClearPerSecond ?? options.MaxPerSecond;
    }

    /// <inheritdoc />
    public DetectorKind Kind => DetectorKind.RateOfChange;

    /// <inheritdoc />
    public DetectorState CreateState() => new RateOfChangeState();

    /// <inheritdoc />
    public DetectorVerdict Observe(DetectorState state, string metric, double value, DateTimeOffset timestamp)
    {
        var rate = DetectorGuard.StateAs<RateOfChangeState>(state);
        if (!double.IsFinite(value))
        {
            return DetectorGuard.NotFinite(state);
        }

        if (rate.LastTimestamp is not { } previousTime || rate.LastValue is not { } previousValue)
        {
            rate.LastTimestamp = timestamp;
            rate.LastValue = value;
            return new(rate.Anomalous, rate.Rate, FirstRecord);
        }

        if (timestamp <= previousTime)
        {
            if (timestamp == previousTime)
            {
                rate.LastValue = value;
            }

            return new(rate.Anomalous, rate.Rate, SameTimestamp);
        }

        var seconds = (timestamp - previousTime).TotalSeconds;
        var perSecond = Math.Abs(value - previousValue) / seconds;
        rate.Rate = perSecond;
        rate.LastTimestamp = timestamp;
        rate.LastValue = value;
        var wasAnomalous = rate.Anomalous;
        rate.Anomalous = wasAnomalous ? perSecond > clearPerSecond : perSecond > maxPerSecond;
        if (rate.Anomalous)
        {
            return new(true, perSecond, string.Create(CultureInfo.InvariantCulture, $"{metric} changed from {previousValue:G6} to {value:G6} in {seconds:G6} s: {perSecond:G6} per s, limit {maxPerSecond:G6}"))
            {
                Evidence = new DetectorEvidence("change per second", perSecond, wasAnomalous ? clearPerSecond : maxPerSecond),
            };
        }

        return new(false, perSecond, wasAnomalous
            ? string.Create(CultureInfo.InvariantCulture, $"{metric} rate {perSecond:G6} per s back within {clearPerSecond:G6}")
            : WithinLimit)
        {
            Evidence = wasAnomalous ? new DetectorEvidence("change per second", perSecond, clearPerSecond) : null,
        };
    }
}
