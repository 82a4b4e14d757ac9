namespace DeviceTwins.Grains.Interfaces.Models;

/// <summary>One shard's answer: its matches in id order, and the time up to which twin writes are reflected in it (null when unknown).</summary>
[GenerateSerializer, Immutable, Alias("dt.device-index-page")]
public sealed record DeviceIndexPage([property: Id(0)] IReadOnlyList<FleetDevice> Items, [property: Id(1)] DateTimeOffset? AsOf);
