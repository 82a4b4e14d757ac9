namespace DeviceTwins.Grains.Interfaces.Models;

/// <summary>What the fleet index keeps of a twin: its tags, latest event time, latest metric values, version and alert state.</summary>
[GenerateSerializer, Immutable, Alias("dt.device-summary")]
public sealed record DeviceSummary(
    [property: Id(0)] string DeviceId,
    [property: Id(1)] long Version,
    [property: Id(2)] DateTimeOffset LastSeen,
    [property: Id(3)] IReadOnlyDictionary<string, string> Tags,
    [property: Id(4)] IReadOnlyDictionary<string, double> Metrics,
    [property: Id(5)] int ActiveAlerts,
    [property: Id(6)] bool OfflineAlert);
