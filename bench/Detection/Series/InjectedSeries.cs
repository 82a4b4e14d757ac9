namespace DeviceTwins.DetectionBench.Series;

/// <summary>A healthy series with one anomaly injected at <see cref="Onset"/>; a raise in [Onset, Onset + Horizon) detects it.</summary>
public sealed record InjectedSeries(AnomalyKind Kind, GeneratedSeries Series, int Onset, int Horizon);
