using System.Collections.Concurrent;

namespace DeviceTwins.Analytics.Rules;

/// <summary>
/// The rules in force for one device, resolved per metric once and cached: for each name, the last matching rule wins. A
/// disabling rule (Enabled false) turns its name off whatever its kind: for the metrics it selects and for the device-level
/// rule of that name, so <c>{ Name: "offline", Enabled: false }</c> turns the default heartbeat off.
/// </summary>
public sealed class DeviceRules
{
    private readonly CompiledRule[] _selected;
    // Shared by every device with the same selected rules, so filled from many twins' threads; bounded, past which a
    // metric's rules are resolved per call instead of kept.
    private const int MaxCachedMetrics = 4096;
    private readonly ConcurrentDictionary<string, CompiledRule[]> _byMetric = new(StringComparer.Ordinal);

    /// <summary>Resolves the rules that select <paramref name="deviceId"/> with <paramref name="tags"/>.</summary>
    public DeviceRules(IEnumerable<CompiledRule> rules, string deviceId, IReadOnlyDictionary<string, string> tags)
        : this(Select(rules, deviceId, tags))
    {
    }

    /// <summary>The rules in force for a device that <paramref name="selected"/> select (in order).</summary>
    public DeviceRules(CompiledRule[] selected)
    {
        ArgumentNullException.ThrowIfNull(selected);
        _selected = selected;
        DeviceLevel = Winners(_selected.Where(r => r.IsDeviceLevel || !r.Options.Enabled));
        Selected = [.. _selected.Where(r => r.Options.Enabled && (!r.IsDeviceLevel || DeviceLevel.Contains(r)))];
    }

    /// <summary>Every enabled rule that selects the device, in order, whatever the metrics; a device-level rule only while in force.</summary>
    public IReadOnlyList<CompiledRule> Selected { get; }

    /// <summary>Device-level rules in force (the heartbeat).</summary>
    public IReadOnlyList<CompiledRule> DeviceLevel { get; }

    /// <summary>Metric rules in force for <paramref name="metric"/>.</summary>
    public IReadOnlyList<CompiledRule> For(string metric)
    {
        if (!_byMetric.TryGetValue(metric, out var rules))
        {
            rules = Winners(_selected.Where(r => (!r.IsDeviceLevel || !r.Options.Enabled) && r.SelectsMetric(metric)));
            if (_byMetric.Count < MaxCachedMetrics)
            {
                _byMetric.TryAdd(metric, rules);
            }
        }

        return rules;
    }

    /// <summary>The rules of <paramref name="rules"/> that select the device, in order.</summary>
    public static CompiledRule[] Select(IEnumerable<CompiledRule> rules, string deviceId, IReadOnlyDictionary<string, string> tags)
    {
        ArgumentNullException.ThrowIfNull(rules);
        return [.. rules.Where(r => r.Selects(deviceId, tags)).OrderBy(r => r.Order)];
    }

    // Last of each name wins; a winner that disables the name removes it.
    private static CompiledRule[] Winners(IEnumerable<CompiledRule> candidates) =>
        [.. candidates.GroupBy(r => r.Name, StringComparer.Ordinal).Select(g => g.Last()).Where(r => r.Options.Enabled).OrderBy(r => r.Order)];
}
