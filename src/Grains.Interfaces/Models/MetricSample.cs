namespace DeviceTwins.Grains.Interfaces.Models;

/// <summary>One numeric metric of a telemetry record.</summary>
[GenerateSerializer, Immutable, Alias("dt.metric-sample")]
public readonly record struct MetricSample([property: Id(0)] string Name, [property: Id(1)] double Value);
