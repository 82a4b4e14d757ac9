namespace DeviceTwins.Grains.Interfaces.Models;

/// <summary>The statistics of the metric's current window when an alert changed.</summary>
[GenerateSerializer, Immutable, Alias("dt.alert-window")]
public sealed record AlertWindowInfo(
    [property: Id(0)] DateTimeOffset Start,
    [property: Id(1)] DateTimeOffset End,
    [property: Id(2)] long Count,
    [property: Id(3)] double Min,
    [property: Id(4)] double Max,
    [property: Id(5)] double Mean,
    [property: Id(6)] double StdDev);
