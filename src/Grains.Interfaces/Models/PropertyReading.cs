namespace DeviceTwins.Grains.Interfaces.Models;

/// <summary>The latest reported value (JSON text) of a property by event time, and that event time.</summary>
[GenerateSerializer, Immutable, Alias("dt.property-reading")]
public readonly record struct PropertyReading([property: Id(0)] string Json, [property: Id(1)] DateTimeOffset Timestamp);
