namespace DeviceTwins.Grains.Interfaces.Models;

/// <summary>Why an alert was raised or cleared: the reading, its event time, the reason, and the statistic against its threshold.</summary>
[GenerateSerializer, Immutable, Alias("dt.alert-cause")]
public sealed record AlertCauseInfo(
    [property: Id(0)] double Value,
    [property: Id(1)] DateTimeOffset EventTime,
    [property: Id(2)] string Reason,
    [property: Id(3)] string? Statistic,
    [property: Id(4)] double? Score,
    [property: Id(5)] double? Threshold);
