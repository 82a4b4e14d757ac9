namespace DeviceTwins.Grains.Interfaces.Models;

/// <summary>One reported property of a telemetry record; the value is its JSON text.</summary>
[GenerateSerializer, Immutable, Alias("dt.property-sample")]
public readonly record struct PropertySample([property: Id(0)] string Name, [property: Id(1)] string Json);
