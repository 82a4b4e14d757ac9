using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Grains.Interfaces;

/// <summary>
/// One shard of the fleet device index, keyed by shard number: a compact summary of every device hashed to it, sent by
/// the silos' reporters in batches, so fleet queries never visit device grains.
/// </summary>
[Alias("dt.IDeviceIndexGrain")]
public interface IDeviceIndexGrain : IGrainWithIntegerKey
{
    /// <summary>Records the summaries of one reporter's batch (a summary never replaces one of a higher version).</summary>
    [Alias("Update")]
    Task UpdateAsync(DeviceIndexBatch batch);

    /// <summary>Up to <paramref name="limit"/> devices matching <paramref name="query"/>, by id (ordinal), after <paramref name="afterId"/>.</summary>
    [Alias("Query")]
    Task<DeviceIndexPage> QueryAsync(DeviceQuery query, string? afterId, int limit);

    /// <summary>The shard's devices (of <paramref name="tenant"/> only, when given) counted by status.</summary>
    [Alias("Count")]
    Task<FleetCounts> CountAsync(string? tenant);
}
