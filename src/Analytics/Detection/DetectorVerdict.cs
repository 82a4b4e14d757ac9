namespace DeviceTwins.Analytics.Detection;

/// <summary>A detector's answer for one record: the condition after it, the detector's measure and a human-readable reason (invariant culture).</summary>
public readonly record struct DetectorVerdict(bool Anomalous, double Score, string Reason)
{
    /// <summary>
    /// The statistic and threshold behind the verdict: always given when a condition starts or ends on a test; a detector may
    /// also give it while the condition holds (the alert lifecycle reads it only at a raise or a clear).
    /// </summary>
    public DetectorEvidence? Evidence { get; init; }
}
