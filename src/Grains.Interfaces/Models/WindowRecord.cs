namespace DeviceTwins.Grains.Interfaces.Models;

/// <summary>A closed window as published on the aggregates topic: its deterministic id, its device and its statistics.</summary>
[GenerateSerializer, Immutable, Alias("dt.window-record")]
public sealed record WindowRecord([property: Id(0)] string Id, [property: Id(1)] string DeviceId, [property: Id(2)] AggregateInfo Aggregate);
