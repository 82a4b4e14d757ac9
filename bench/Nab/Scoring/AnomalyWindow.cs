namespace DeviceTwins.Nab.Scoring;

/// <summary>A labelled anomaly window as NAB stores it: inclusive start and end timestamps that occur in the series.</summary>
public sealed record AnomalyWindow(DateTime Start, DateTime End);
