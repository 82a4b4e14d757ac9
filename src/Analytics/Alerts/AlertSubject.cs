namespace DeviceTwins.Analytics.Alerts;

/// <summary>What an alert is about: a rule of a detector applied to a metric (or the whole device) of one device.</summary>
public readonly record struct AlertSubject(string DeviceId, string Rule, string Detector, string? Metric, AlertSeverity Severity);
