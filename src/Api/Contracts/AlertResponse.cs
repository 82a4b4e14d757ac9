namespace DeviceTwins.Api.Contracts;

/// <summary>An alert as served by the REST API: the same fields as the record on the alerts topic.</summary>
public sealed record AlertResponse(
    string Id,
    string DeviceId,
    string? Tenant,
    string Rule,
    string Detector,
    string? Metric,
    string Severity,
    string State,
    double Value,
    DateTimeOffset EventTime,
    DateTimeOffset RaisedAt,
    DateTimeOffset? AcknowledgedAt,
    DateTimeOffset? ClearedAt,
    AlertWindowResponse? Window,
    string Reason,
    bool Flapping,
    AlertCauseResponse? Raise,
    AlertCauseResponse? Clear);
