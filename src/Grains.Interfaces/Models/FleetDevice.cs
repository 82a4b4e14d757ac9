namespace DeviceTwins.Grains.Interfaces.Models;

/// <summary>A device as a fleet query returns it: its summary and the status derived from it at query time.</summary>
[GenerateSerializer, Immutable, Alias("dt.fleet-device")]
public sealed record FleetDevice([property: Id(0)] DeviceSummary Summary, [property: Id(1)] DeviceStatus Status)
{
    /// <summary>The device id, the order of fleet queries.</summary>
    public string DeviceId => Summary.DeviceId;
}
