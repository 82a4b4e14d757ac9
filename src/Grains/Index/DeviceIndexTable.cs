using DeviceTwins.Grains.Interfaces;
using DeviceTwins.Grains.Interfaces.Fleet;
using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Grains.Index;

/// <summary>
/// The devices of one index shard (plain C#): summaries by id, the ids in ordinal order (sorted again only after a
/// device was added or removed), and two secondary indexes kept up to date on every change and rebuilt from the
/// summaries when the table is built: the ids holding each tag value, and the ids that can be alerting (an active
/// alert, no <c>offline</c> alert). A query walks, from the cursor, the smallest of the id sets its filters select
/// (all ids when none does) and runs the full matcher on each candidate, so it returns exactly what a scan would.
/// Metric filters are first tested on <see cref="MetricColumns"/> when the walk covers a large part of the shard.
/// </summary>
public sealed class DeviceIndexTable
{
    // Metric filters are tested on columns unless a candidate set holds less than this share (1/n) of the devices.
    private const int ColumnScanShare = 8;

    private readonly Dictionary<string, DeviceSummary> _devices;
    private readonly Dictionary<(string Key, string Value), SortedIdSet> _tags = [];
    private readonly SortedIdSet _alerting = new();
    private readonly MetricColumns _columns = new();
    private string[] _ordered = [];
    private bool _orderStale = true;

    /// <summary>A table over <paramref name="devices"/>, which it updates in place (the shard's persisted state).</summary>
    public DeviceIndexTable(Dictionary<string, DeviceSummary> devices)
    {
        ArgumentNullException.ThrowIfNull(devices);
        _devices = devices;
        foreach (var device in devices.Values)
        {
            Index(device);
        }
    }

    /// <summary>Devices held.</summary>
    public int Count => _devices.Count;

    /// <summary>Tag values held, each with at least one device.</summary>
    public int TagValueCount => _tags.Count;

    /// <summary>The version held for <paramref name="deviceId"/>, or -1 when the device is not held.</summary>
    public long VersionOf(string deviceId) => _devices.TryGetValue(deviceId, out var known) ? known.Version : -1;

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

            Reindex(known, summary);
            if (_columns.Count > 0 && !_orderStale)
            {
                _columns.Update(Array.BinarySearch(_ordered, summary.DeviceId, StringComparer.Ordinal), summary);
            }
        }
        else
        {
            _orderStale = true;
            Index(summary);
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
            Unindex(_devices[id]);
            _devices.Remove(id);
            removed++;
        }

        _orderStale |= removed > 0;
        return removed;
    }

    /// <summary>The ids holding tag <paramref name="key"/> = <paramref name="value"/>, in ordinal order (empty when none).</summary>
    public IReadOnlyList<string> DevicesTagged(string key, string value) =>
        _tags.TryGetValue((key, value), out var ids) ? ids.After(null).ToArray() : [];

    /// <summary>The ids with an active alert and no <c>offline</c> alert (alerting unless too old), in ordinal order.</summary>
    public IReadOnlyList<string> AlertingCandidates() => _alerting.After(null).ToArray();

    /// <summary>
    /// Up to <paramref name="limit"/> devices matching <paramref name="query"/> with ids after <paramref name="afterId"/>
    /// (ordinal), in id order, their status taken at <paramref name="now"/>.
    /// </summary>
    public List<FleetDevice> Query(DeviceQuery query, string? afterId, int limit, DateTimeOffset now, TimeSpan offlineAfter)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var page = new List<FleetDevice>(Math.Min(limit, 64));
        // Every match holds each tag filter's value, and an alerting one is in the alerting set: the smallest of these
        // sets holds every match; a tag value no device holds means no match at all.
        SortedIdSet? narrowest = null;
        if (query.Tenant is { } tenant)
        {
            // A tenant's query walks that tenant's devices (or a smaller set of them), never the others'.
            if (!_tags.TryGetValue((Tenants.TagKey, tenant), out narrowest))
            {
                return page;
            }
        }

        foreach (var tag in query.Tags)
        {
            if (!_tags.TryGetValue((tag.Key, tag.Value), out var tagged))
            {
                return page;
            }

            if (narrowest is null || tagged.Count < narrowest.Count)
            {
                narrowest = tagged;
            }
        }

        if (query.Status == DeviceStatus.Alerting && (narrowest is null || _alerting.Count < narrowest.Count))
        {
            narrowest = _alerting;
        }

        // A large candidate set costs more to walk (a summary lookup and the matcher per id) than the metric columns.
        if (query.Metrics.Count > 0 && query.Tenant is null && (narrowest is null || narrowest.Count > _devices.Count / ColumnScanShare))
        {
            ScanColumns(query, afterId, limit, now, offlineAfter, page);
            return page;
        }

        var candidates = narrowest is null ? SortedIdSet.After(Ordered(), afterId) : narrowest.After(afterId);
        for (var i = 0; i < candidates.Length && page.Count < limit; i++)
        {
            TryAdd(query, _devices[candidates[i]], now, offlineAfter, page);
        }

        return page;
    }

    /// <summary>The devices (of <paramref name="tenant"/> only, when given) by status at <paramref name="now"/>; AsOf left null.</summary>
    public FleetCounts CountByStatus(string? tenant, DateTimeOffset now, TimeSpan offlineAfter)
    {
        int online = 0, offline = 0, alerting = 0, alerts = 0;
        void Tally(DeviceSummary device)
        {
            switch (DeviceStatuses.Of(device, now, offlineAfter))
            {
                case DeviceStatus.Online: online++; break;
                case DeviceStatus.Offline: offline++; break;
                default: alerting++; break;
            }

            alerts += device.ActiveAlerts;
        }

        if (tenant is null)
        {
            foreach (var device in _devices.Values)
            {
                Tally(device);
            }
        }
        else if (_tags.TryGetValue((Tenants.TagKey, tenant), out var members))
        {
            foreach (var id in members.After(null))
            {
                Tally(_devices[id]);
            }
        }

        return new FleetCounts(online + offline + alerting, online, offline, alerting, alerts, null);
    }

    // Walks the id order, testing the metric filters on their columns first; the matcher decides on what passes.
    private void ScanColumns(DeviceQuery query, string? afterId, int limit, DateTimeOffset now, TimeSpan offlineAfter, List<FleetDevice> page)
    {
        var ordered = Ordered();
        var columns = new double[query.Metrics.Count][];
        for (var f = 0; f < columns.Length; f++)
        {
            columns[f] = _columns.Get(query.Metrics[f].Metric, ordered, _devices);
        }

        var start = ordered.Length - SortedIdSet.After(ordered, afterId).Length;
        for (var i = start; i < ordered.Length && page.Count < limit; i++)
        {
            if (MetricColumns.MayMatch(query.Metrics, columns, i))
            {
                TryAdd(query, _devices[ordered[i]], now, offlineAfter, page);
            }
        }
    }

    private static void TryAdd(DeviceQuery query, DeviceSummary device, DateTimeOffset now, TimeSpan offlineAfter, List<FleetDevice> page)
    {
        var status = DeviceStatuses.Of(device, now, offlineAfter);
        if (DeviceMatcher.Matches(query, device, status))
        {
            page.Add(new FleetDevice(device, status));
        }
    }

    private string[] Ordered()
    {
        if (_orderStale)
        {
            _ordered = [.. _devices.Keys];
            Array.Sort(_ordered, StringComparer.Ordinal);
            _orderStale = false;
            _columns.Clear();
        }

        return _ordered;
    }

    private static bool MayBeAlerting(DeviceSummary device) => device.ActiveAlerts > 0 && !device.OfflineAlert;

    private void Index(DeviceSummary device)
    {
        foreach (var tag in device.Tags)
        {
            AddTagged(tag.Key, tag.Value, device.DeviceId);
        }

        if (MayBeAlerting(device))
        {
            _alerting.Add(device.DeviceId);
        }
    }

    private void Unindex(DeviceSummary device)
    {
        foreach (var tag in device.Tags)
        {
            RemoveTagged(tag.Key, tag.Value, device.DeviceId);
        }

        _alerting.Remove(device.DeviceId);
    }

    // Touches only what changed: a summary's tags rarely do, its alert state sometimes, its metrics at every report.
    private void Reindex(DeviceSummary known, DeviceSummary next)
    {
        if (!ReferenceEquals(known.Tags, next.Tags))
        {
            foreach (var tag in known.Tags)
            {
                if (!next.Tags.TryGetValue(tag.Key, out var value) || !string.Equals(value, tag.Value, StringComparison.Ordinal))
                {
                    RemoveTagged(tag.Key, tag.Value, known.DeviceId);
                }
            }

            foreach (var tag in next.Tags)
            {
                if (!known.Tags.TryGetValue(tag.Key, out var value) || !string.Equals(value, tag.Value, StringComparison.Ordinal))
                {
                    AddTagged(tag.Key, tag.Value, next.DeviceId);
                }
            }
        }

        var alerting = MayBeAlerting(next);
        if (alerting != MayBeAlerting(known))
        {
            if (alerting)
            {
                _alerting.Add(next.DeviceId);
            }
            else
            {
                _alerting.Remove(next.DeviceId);
            }
        }
    }

    private void AddTagged(string key, string value, string id)
    {
        if (!_tags.TryGetValue((key, value), out var ids))
        {
            ids = new SortedIdSet();
            _tags[(key, value)] = ids;
        }

        ids.Add(id);
    }

    private void RemoveTagged(string key, string value, string id)
    {
        // An emptied set goes, so tag values no device holds any more do not accumulate.
        if (_tags.TryGetValue((key, value), out var ids) && ids.Remove(id) && ids.Count == 0)
        {
            _tags.Remove((key, value));
        }
    }
}
