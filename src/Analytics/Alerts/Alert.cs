namespace DeviceTwins.Analytics.Alerts;

/// <summary>One alert as it is published and queried: a raise, an acknowledgement or a clear of a rule on a metric of a device.</summary>
public sealed record Alert
{
    /// <summary>Deterministic id: the same input replayed yields the same id.</summary>
    public required string Id { get; init; }

    /// <summary>The device.</summary>
    public required string DeviceId { get; init; }

    /// <summary>The rule's name.</summary>
    public required string Rule { get; init; }

    /// <summary>The rule's detector, in lower case.</summary>
    public required string Detector { get; init; }

    /// <summary>The metric, or null for a device-level rule such as the heartbeat.</summary>
    public string? Metric { get; init; }

    /// <summary>How urgent it is.</summary>
    public required AlertSeverity Severity { get; init; }

    /// <summary>Where it is in its lifecycle.</summary>
    public required AlertStatus Status { get; init; }

    /// <summary>The value that triggered the latest change (for a heartbeat, the seconds without a record).</summary>
    public required double Value { get; init; }

    /// <summary>The event time of <see cref="Value"/>.</summary>
    public required DateTimeOffset EventTime { get; init; }

    /// <summary>Event time of the raise.</summary>
    public required DateTimeOffset RaisedAt { get; init; }

    /// <summary>When an operator acknowledged it.</summary>
    public DateTimeOffset? AcknowledgedAt { get; init; }

    /// <summary>Event time of the clear.</summary>
    public DateTimeOffset? ClearedAt { get; init; }

    /// <summary>The metric's window statistics at the change, when the rule watches a metric.</summary>
    public AlertWindow? Window { get; init; }

    /// <summary>Human-readable reason for the latest change.</summary>
    public required string Reason { get; init; }

    /// <summary>Why it was raised: kept through acknowledgement and clear, so a cleared alert still explains its raise.</summary>
    public AlertCause? Raise { get; init; }

    /// <summary>Why it was cleared; null while active.</summary>
    public AlertCause? Clear { get; init; }

    /// <summary>Whether the alert was held active because its rule was flapping.</summary>
    public bool Flapping { get; init; }
}
