namespace DeviceTwins.Grains.Interfaces.Models;

/// <summary>An alert of a device as queried and indexed: the latest change of one raise of a rule on a metric.</summary>
[GenerateSerializer, Immutable, Alias("dt.alert")]
public sealed record AlertInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string DeviceId,
    [property: Id(2)] string Rule,
    [property: Id(3)] string Detector,
    [property: Id(4)] string? Metric,
    [property: Id(5)] string Severity,
    [property: Id(6)] string State,
    [property: Id(7)] double Value,
    [property: Id(8)] DateTimeOffset EventTime,
    [property: Id(9)] DateTimeOffset RaisedAt,
    [property: Id(10)] DateTimeOffset? AcknowledgedAt,
    [property: Id(11)] DateTimeOffset? ClearedAt,
    [property: Id(12)] AlertWindowInfo? Window,
    [property: Id(13)] string Reason,
    [property: Id(14)] bool Flapping,
    [property: Id(15)] AlertCauseInfo? Raise = null,
    [property: Id(16)] AlertCauseInfo? Clear = null,
    [property: Id(17)] string? Tenant = null)
{
    /// <summary>Whether the alert is raised or acknowledged, not cleared.</summary>
    public bool IsActive => State != AlertStates.Cleared;
}
