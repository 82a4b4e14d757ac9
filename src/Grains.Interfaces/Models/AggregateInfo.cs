namespace DeviceTwins.Grains.Interfaces.Models;

/// <summary>A closed tumbling window of one metric of a device.</summary>
[GenerateSerializer, Immutable, Alias("dt.aggregate")]
public sealed record AggregateInfo(
    [property: Id(0)] string Metric,
    [property: Id(1)] TimeSpan Size,
    [property: Id(2)] DateTimeOffset Start,
    [property: Id(3)] DateTimeOffset End,
    [property: Id(4)] long Count,
    [property: Id(5)] double Min,
    [property: Id(6)] double Max,
    [property: Id(7)] double Sum,
    [property: Id(8)] double Mean,
    [property: Id(9)] double StdDev,
    [property: Id(10)] double First,
    [property: Id(11)] double Last,
    [property: Id(12)] long Late);
