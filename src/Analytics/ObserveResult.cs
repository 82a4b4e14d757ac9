namespace DeviceTwins.Analytics;

/// <summary>What one record did to a twin's analytics beyond its outbox.</summary>
/// <param name="Late">Whether a window refused it as later than the grace period.</param>
/// <param name="OutOfOrder">Whether some metric's detectors skipped it as older than that metric's latest record.</param>
public readonly record struct ObserveResult(bool Late, bool OutOfOrder);
