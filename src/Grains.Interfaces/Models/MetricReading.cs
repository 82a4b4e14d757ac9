namespace DeviceTwins.Grains.Interfaces.Models;

/// <summary>The latest value of a metric by event time, and that event time.</summary>
[GenerateSerializer, Immutable, Alias("dt.metric-reading")]
public readonly record struct MetricReading([property: Id(0)] double Value, [property: Id(1)] DateTimeOffset Timestamp);
