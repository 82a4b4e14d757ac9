namespace DeviceTwins.Api.Contracts;

/// <summary>Why an alert was raised or cleared: the reading, its event time, the reason, and the statistic against its threshold.</summary>
public sealed record AlertCauseResponse(
    double Value,
    DateTimeOffset EventTime,
    string Reason,
    string? Statistic,
    double? Score,
    double? Threshold);
