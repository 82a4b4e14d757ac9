namespace DeviceTwins.Analytics.Rules;

/// <summary>The rules in force for one device, resolved per metric once and cached: for each name, the last matching rule wins.</summary>
public sealed class DeviceRules
{
    private readonly CompiledRule[] _selected;
    private readonly Dictionary<string, CompiledRule[]> _byMetric = new(StringComparer.Ordinal);

    /// <summary>Resolves the rules that select <paramref name="deviceId"/> with <paramref name="tags"/>.</summary>
    public DeviceRules(IEnumerable<CompiledRule> rules, string deviceId, IReadOnlyDictionary<string, string> tags)
    {
        ArgumentNullException.ThrowIfNull(rules);
        _selected = [.. rules.Where(r => r.Selects(deviceId, tags)).OrderBy(r => r.Order)];
        DeviceLevel = Winners(_selected.Where(r => r.IsDeviceLevel));
    }

    /// <summary>Every enabled rule that selects the device, in order, whatever the metrics.</summary>
    public IReadOnlyList<CompiledRule> Selected => [.. _selected.Where(r => r.Options.Enabled)];

    /// <summary>Device-level rules in force (the heartbeat).</summary>
    public IReadOnlyList<CompiledRule> DeviceLevel { get; }

    /// <summary>Metric rules in force for <paramref name="metric"/>.</summary>
    public IReadOnlyList<CompiledRule> For(string metric)
    {
        if (!_byMetric.TryGetValue(metric, out var rules))
        {
            rules = Winners(_selected.Where(r => !r.IsDeviceLevel && r.SelectsMetric(metric)));
            _byMetric[metric] = rules;
        }

        return rules;
    }

    // Last of each name wins; a winner that disables the name removes it.
    private static CompiledRule[] Winners(IEnumerable<CompiledRule> candidates) =>
        [.. candidates.GroupBy(r => r.Name, StringComparer.Ordinal).Select(g => g.Last()).Where(r => r.Options.Enabled).OrderBy(r => r.Order)];
}
