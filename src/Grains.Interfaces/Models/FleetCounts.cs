namespace DeviceTwins.Grains.Interfaces.Models;

/// <summary>How many devices one index shard (or, summed, the fleet) holds, by status.</summary>
[GenerateSerializer, Immutable, Alias("dt.fleet-counts")]
public sealed record FleetCounts(
    [property: Id(0)] int Devices,
    [property: Id(1)] int Online,
    [property: Id(2)] int Offline,
    [property: Id(3)] int Alerting,
    [property: Id(4)] int ActiveAlerts,
    [property: Id(5)] DateTimeOffset? AsOf)
{
    /// <summary>No device.</summary>
    public static FleetCounts None { get; } = new(0, 0, 0, 0, 0, null);

    /// <summary>The sum of two shards' counts; the fleet is as fresh as its stalest shard.</summary>
    public FleetCounts Add(FleetCounts other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var asOf = AsOf is null || other.AsOf is null ? AsOf ?? other.AsOf : (AsOf < other.AsOf ? AsOf : other.AsOf);
        return new(Devices + other.Devices, Online + other.Online, Offline + other.Offline, Alerting + other.Alerting, ActiveAlerts + other.ActiveAlerts, asOf);
    }
}
