using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Grains.Index;

/// <summary>What one device index shard persists: the summaries of its devices by id, and how fresh they were.</summary>
[GenerateSerializer, Alias("dt.device-index-state")]
public sealed class DeviceIndexState
{
    /// <summary>Summaries by device id.</summary>
    [Id(0)]
    public Dictionary<string, DeviceSummary> Devices { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The shard's freshness when last written: twin writes before it were reflected.</summary>
    [Id(1)]
    public DateTimeOffset? AsOf { get; set; }
}
