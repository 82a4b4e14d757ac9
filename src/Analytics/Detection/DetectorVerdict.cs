namespace DeviceTwins.Analytics.Detection;

/// <summary>A detector's answer for one record: the condition after it, the detector's measure and a human-readable reason (invariant culture).</summary>
public readonly record struct DetectorVerdict(bool Anomalous, double Score, string Reason);
