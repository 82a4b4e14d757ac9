using DeviceTwins.Grains.Interfaces.Fleet;
using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Grains.Index;

/// <summary>
/// The devices of one index shard (plain C#): summaries by id, and the ids in ordinal order, sorted again only after a
/// device was added or removed, so a page after a cursor starts with a binary search and stops at the limit.
/// </summary>
public sealed class DeviceIndexTable
{
    private readonly Dictionary<string, DeviceSummary> _devices;
    private string[] _ordered = [];
    private bool _orderStale = true;

    /// <summary>A table over <paramref name="devices"/>, which it updates in place (the shard's persisted state).</summary>
    public DeviceIndexTable(Dictionary<string, DeviceSummary> devices)
    {
        ArgumentNullException.ThrowIfNull(devices);
        _devices = devices;
    }

    /// <summary>Devices held.</summary>
    public int Count => _devices.Count;

    /// <summary>Stores <paramref name="summary"/> unless a higher version of the device is held; true when it was stored.</summary>
    public bool Upsert(DeviceSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        if (_devices.TryGetValue(summary.DeviceId, out var known))
        {
            if (known.Version > summary.Version)
            {
                return false;
            }
        }
        else
        {
            _orderStale = true;
        }

        _devices[summary.DeviceId] = summary;
        return true;
    }

    /// <summary>Removes the devices <paramref name="misplaced"/> selects; returns how many.</summary>
    public int RemoveWhere(Func<string, bool> misplaced)
    {
        ArgumentNullException.ThrowIfNull(misplaced);
        var removed = 0;
        foreach (var id in _devices.Keys.Where(misplaced).ToList())
        {
            _devices.Remove(id);
            removed++;
        }

        _orderStale |= removed > 0;
        return removed;
    }

    /// <summary>
    /// Up to <paramref name="limit"/> devices matching <paramref name="query"/> with ids after <paramref name="afterId"/>
    /// (ordinal), in id order, their status taken at <paramref name="now"/>.
    /// </summary>
    public List<FleetDevice> Query(DeviceQuery query, string? afterId, int limit, DateTimeOffset now, TimeSpan offlineAfter)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        if (_orderStale)
        {
            _ordered = [.. _devices.Keys];
            Array.Sort(_ordered, StringComparer.Ordinal);
            _orderStale = false;
        }

        var start = 0;
        if (afterId is not null)
        {
            var found = Array.BinarySearch(_ordered, afterId, StringComparer.Ordinal);
            start = found >= 0 ? found + 1 : ~found;
        }

        var page = new List<FleetDevice>(Math.Min(limit, 64));
        for (var i = start; i < _ordered.Length && page.Count < limit; i++)
        {
            var device = _devices[_ordered[i]];
            var status = DeviceStatuses.Of(device, now, offlineAfter);
            if (DeviceMatcher.Matches(query, device, status))
            {
                page.Add(new FleetDevice(device, status));
            }
        }

        return page;
    }
}
