namespace DeviceTwins.Grains.Interfaces.Models;

/// <summary>
/// The summaries one silo's reporter sends a shard per interval: every twin write reported before <see cref="Cutoff"/>
/// and not sent yet (possibly none: an empty batch still tells the shard how fresh that reporter is).
/// </summary>
[GenerateSerializer, Immutable, Alias("dt.device-index-batch")]
public sealed record DeviceIndexBatch(
    [property: Id(0)] string Reporter,
    [property: Id(1)] DateTimeOffset Cutoff,
    [property: Id(2)] IReadOnlyList<DeviceSummary> Devices);
