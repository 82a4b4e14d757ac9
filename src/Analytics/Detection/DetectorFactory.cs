namespace DeviceTwins.Analytics.Detection;

/// <summary>Builds the metric detector of a rule from its kind and parameters.</summary>
public static class DetectorFactory
{
    /// <summary>The detector of <paramref name="kind"/>; throws <see cref="ArgumentException"/> when its options are invalid or the kind is not a metric detector.</summary>
    public static IMetricDetector Create(DetectorKind kind, DetectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (kind == DetectorKind.Heartbeat)
        {
            throw new ArgumentException("Heartbeat is a device-level detector; create a HeartbeatDetector instead.", nameof(kind));
        }

        DetectorGuard.ThrowIfInvalid(options.Validate(kind), nameof(options));
        return kind switch
        {
            DetectorKind.Threshold => new ThresholdDetector(options.Threshold),
            DetectorKind.ZScore => new ZScoreDetector(options.ZScore),
            DetectorKind.RateOfChange => new RateOfChangeDetector(options.RateOfChange),
            DetectorKind.Flatline => new FlatlineDetector(options.Flatline),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a detector kind."),
        };
    }
}
