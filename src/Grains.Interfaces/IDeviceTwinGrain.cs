using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Grains.Interfaces;

/// <summary>The live twin of one device, keyed by device id and fed by its telemetry stream.</summary>
[Alias("dt.IDeviceTwinGrain")]
public interface IDeviceTwinGrain : IGrainWithStringKey
{
    /// <summary>The twin, or null when no record of this device was ever applied.</summary>
    [Alias("GetSnapshot")]
    Task<TwinSnapshot?> GetSnapshotAsync();
}
