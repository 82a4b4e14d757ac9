using DeviceTwins.Grains.Interfaces;
using DeviceTwins.Grains.Interfaces.Fleet;
using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Api.Apis;

/// <summary>Runs a fleet query over every shard of the device index: in parallel, each returns its first matches after the cursor, merged by id.</summary>
public static class FleetIndexQuery
{
    /// <summary>
    /// Up to <paramref name="limit"/> matching devices after <paramref name="afterId"/>, in id order; the id the next page
    /// starts after (null when none follows); and the oldest freshness of the shards (null when a shard's is unknown).
    /// </summary>
    public static async Task<(List<FleetDevice> Page, string? NextAfterId, DateTimeOffset? AsOf)> RunAsync(
        IGrainFactory grains, int shards, DeviceQuery query, string? afterId, int limit)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(query);
        // Each shard's first limit + 1 after the cursor: the merged first limit + 1 are the fleet's, and the one beyond
        // the limit tells whether a next page exists.
        var answers = await Task.WhenAll(Enumerable.Range(0, shards)
            .Select(shard => grains.GetGrainByKey<IDeviceIndexGrain>(shard).QueryAsync(query, afterId, limit + 1)));
        var merged = FleetMerge.Merge([.. answers.Select(a => a.Items)], limit + 1);
        string? next = null;
        if (merged.Count > limit)
        {
            merged.RemoveAt(limit);
            next = merged[^1].DeviceId;
        }

        DateTimeOffset? asOf = answers.Any(a => a.AsOf is null) ? null : answers.Min(a => a.AsOf);
        return (merged, next, asOf);
    }
}
