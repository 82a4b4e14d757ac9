using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Grains.Alerts;

/// <summary>The alerts one index shard holds: every active alert and the latest cleared ones, by id.</summary>
[GenerateSerializer, Alias("dt.alert-index-state")]
public sealed class AlertIndexState
{
    /// <summary>Alerts by id.</summary>
    [Id(0)]
    public Dictionary<string, AlertInfo> Alerts { get; set; } = new(StringComparer.Ordinal);
}
