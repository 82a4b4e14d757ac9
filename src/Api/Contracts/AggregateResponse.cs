namespace DeviceTwins.Api.Contracts;

/// <summary>A closed tumbling window of one metric.</summary>
public sealed record AggregateResponse(
    string Metric,
    long WindowSeconds,
    DateTimeOffset Start,
    DateTimeOffset End,
    long Count,
    double Min,
    double Max,
    double Sum,
    double Mean,
    double StdDev,
    double First,
    double Last,
    long Late);
