namespace DeviceTwins.Grains.Interfaces.Models;

/// <summary>A read-only copy of a device twin.</summary>
[GenerateSerializer, Immutable, Alias("dt.twin-snapshot")]
public sealed record TwinSnapshot(
    [property: Id(0)] string DeviceId,
    [property: Id(1)] long Version,
    [property: Id(2)] long MessageCount,
    [property: Id(3)] DateTimeOffset FirstSeen,
    [property: Id(4)] DateTimeOffset LastSeen,
    [property: Id(5)] IReadOnlyDictionary<string, MetricReading> Metrics,
    [property: Id(6)] IReadOnlyDictionary<string, PropertyReading> Props,
    [property: Id(7)] DateTimeOffset UpdatedAt,
    [property: Id(8)] IReadOnlyDictionary<string, string> Tags);
