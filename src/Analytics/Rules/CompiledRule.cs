using DeviceTwins.Analytics.Alerts;
using DeviceTwins.Analytics.Detection;

namespace DeviceTwins.Analytics.Rules;

/// <summary>A rule ready to run: its selectors compiled and its detector built once, shared by every device.</summary>
public sealed class CompiledRule
{
    private readonly Glob[] _metrics;
    private readonly Glob[] _devices;

    /// <summary>Compiles <paramref name="options"/>, which must be valid.</summary>
    public CompiledRule(RuleOptions options, int order)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        Order = order;
        _metrics = [.. options.Metrics.Select(p => new Glob(p))];
        _devices = [.. options.Devices.Select(p => new Glob(p))];
        if (options.Enabled)
        {
            if (options.Kind == DetectorKind.Heartbeat)
            {
                Heartbeat = new HeartbeatDetector(options.Heartbeat);
            }
            else
            {
                Detector = DetectorFactory.Create(options.Kind, options.ToDetectorOptions());
            }
        }
    }

    /// <summary>The rule as configured.</summary>
    public RuleOptions Options { get; }

    /// <summary>Position in the rule list: later rules of the same name win.</summary>
    public int Order { get; }

    /// <summary>The rule's name.</summary>
    public string Name => Options.Name;

    /// <summary>Whether it watches the device rather than a metric.</summary>
    public bool IsDeviceLevel => Options.Kind == DetectorKind.Heartbeat;

    /// <summary>The detector's name in alerts, in lower case.</summary>
    public string DetectorName => Options.Kind.ToString().ToLowerInvariant();

    /// <summary>Severity of its alerts.</summary>
    public AlertSeverity Severity => Options.Severity;

    /// <summary>The metric detector; null for the heartbeat and for a disabling rule.</summary>
    public IMetricDetector? Detector { get; }

    /// <summary>The heartbeat detector; null otherwise.</summary>
    public HeartbeatDetector? Heartbeat { get; }

    /// <summary>Whether the rule selects the device (id pattern and tags).</summary>
    public bool Selects(string deviceId, IReadOnlyDictionary<string, string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        if (_devices.Length > 0 && !_devices.Any(g => g.IsMatch(deviceId)))
        {
            return false;
        }

        foreach (var (key, value) in Options.Tags)
        {
            if (!tags.TryGetValue(key, out var actual) || !string.Equals(actual, value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether the rule selects the metric.</summary>
    public bool SelectsMetric(string metric) => _metrics.Length == 0 || _metrics.Any(g => g.IsMatch(metric));
}
