namespace DeviceTwins.Analytics.Alerts;

/// <summary>Why an alert was raised or cleared: the reading, its event time, the reason, and the statistic against its threshold.</summary>
public sealed record AlertCause
{
    /// <summary>The value that caused it (for a heartbeat, the seconds without a record).</summary>
    public required double Value { get; init; }

    /// <summary>The event time of <see cref="Value"/>.</summary>
    public required DateTimeOffset EventTime { get; init; }

    /// <summary>Human-readable reason.</summary>
    public required string Reason { get; init; }

    /// <summary>The statistic the detector judged, when it names one.</summary>
    public string? Statistic { get; init; }

    /// <summary>The statistic's value.</summary>
    public double? Score { get; init; }

    /// <summary>The threshold the statistic crossed.</summary>
    public double? Threshold { get; init; }

    /// <summary>The cause of a change at <paramref name="at"/> with <paramref name="evidence"/>, if any.</summary>
    public static AlertCause Of(double value, DateTimeOffset at, string reason, Detection.DetectorEvidence? evidence) => new()
    {
        Value = value,
        EventTime = at,
        Reason = reason,
        Statistic = evidence?.Statistic,
        Score = evidence?.Value,
        Threshold = evidence?.Threshold,
    };
}
