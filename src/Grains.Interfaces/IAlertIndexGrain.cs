using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Grains.Interfaces;

/// <summary>
/// One shard of the fleet-wide alert index, keyed by shard number: the active alerts and the latest cleared ones of the
/// devices hashed to it, kept by the twins as their alerts change, so fleet queries never visit device grains.
/// </summary>
[Alias("dt.IAlertIndexGrain")]
public interface IAlertIndexGrain : IGrainWithIntegerKey
{
    /// <summary>Records the latest state of each alert.</summary>
    [Alias("Update")]
    Task UpdateAsync(IReadOnlyList<AlertInfo> alerts);

    /// <summary>
    /// Up to <paramref name="limit"/> alerts, newest raise first, after <paramref name="after"/> in that order; active only
    /// when asked; of the devices of <paramref name="tenant"/> only, read from that tenant's alerts alone (null: every alert).
    /// </summary>
    [Alias("Query")]
    Task<IReadOnlyList<AlertInfo>> QueryAsync(bool activeOnly, AlertCursor? after, int limit, string? tenant);

    /// <summary>The device of an indexed alert, or null.</summary>
    [Alias("DeviceOf")]
    Task<string?> DeviceOfAsync(string alertId);
}
