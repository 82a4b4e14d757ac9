using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Grains.Interfaces.Fleet;

/// <summary>Merges the id-ordered answers of the index shards into one id-ordered page.</summary>
public static class FleetMerge
{
    /// <summary>
    /// The first <paramref name="take"/> devices of the union of <paramref name="sources"/>, each sorted by id (ordinal), in
    /// id order. A device in two sources (shards resized) appears once, with the higher version.
    /// </summary>
    public static List<FleetDevice> Merge(IReadOnlyList<IReadOnlyList<FleetDevice>> sources, int take)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentOutOfRangeException.ThrowIfNegative(take);
        var merged = new List<FleetDevice>(Math.Min(take, sources.Sum(s => s.Count)));
        var heads = new PriorityQueue<int, string>(sources.Count, StringComparer.Ordinal);
        var positions = new int[sources.Count];
        for (var i = 0; i < sources.Count; i++)
        {
            if (sources[i].Count > 0)
            {
                heads.Enqueue(i, sources[i][0].DeviceId);
            }
        }

        while (heads.TryDequeue(out var source, out var id))
        {
            var device = sources[source][positions[source]];
            if (merged.Count > 0 && string.Equals(merged[^1].DeviceId, id, StringComparison.Ordinal))
            {
                if (device.Summary.Version > merged[^1].Summary.Version)
                {
                    merged[^1] = device;
                }
            }
            else if (merged.Count == take)
            {
                break;
            }
            else
            {
                merged.Add(device);
            }

            if (++positions[source] < sources[source].Count)
            {
                heads.Enqueue(source, sources[source][positions[source]].DeviceId);
            }
        }

        return merged;
    }
}
