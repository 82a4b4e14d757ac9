using DeviceTwins.Analytics.Alerts;
using DeviceTwins.Analytics.Detection;

namespace DeviceTwins.Analytics.Rules;

/// <summary>
/// One anomaly rule from configuration: a detector with its parameters, the metrics and devices it applies to, and the
/// severity of its alerts. For a device and metric, the last matching rule of each name wins, so later entries override
/// earlier ones (the defaults come first) for the metrics, device-id patterns or tags they select.
/// </summary>
public sealed class RuleOptions
{
    /// <summary>The rule's name, part of every alert it raises.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The detector.</summary>
    public DetectorKind Kind { get; set; }

    /// <summary>False turns a rule of this name off for what it selects.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Metric name patterns (<c>*</c> wildcard); ignored by the device-level heartbeat.</summary>
    public List<string> Metrics { get; set; } = [];

    /// <summary>Device id patterns (<c>*</c> wildcard); empty selects every device.</summary>
    public List<string> Devices { get; set; } = [];

    /// <summary>Tags a device must carry, all of them, for the rule to apply.</summary>
    public Dictionary<string, string> Tags { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Severity of the rule's alerts.</summary>
    public AlertSeverity Severity { get; set; } = AlertSeverity.Warning;

    /// <summary>Parameters when <see cref="Kind"/> is Threshold.</summary>
    public ThresholdOptions Threshold { get; set; } = new();

    /// <summary>Parameters when <see cref="Kind"/> is ZScore.</summary>
    public ZScoreOptions ZScore { get; set; } = new();

    /// <summary>Parameters when <see cref="Kind"/> is RateOfChange.</summary>
    public RateOfChangeOptions RateOfChange { get; set; } = new();

    /// <summary>Parameters when <see cref="Kind"/> is Flatline.</summary>
    public FlatlineOptions Flatline { get; set; } = new();

    /// <summary>Parameters when <see cref="Kind"/> is Heartbeat.</summary>
    public HeartbeatOptions Heartbeat { get; set; } = new();

    /// <summary>The detector parameters of this rule, as the detector factory takes them.</summary>
    public DetectorOptions ToDetectorOptions() => new()
    {
        Threshold = Threshold,
        ZScore = ZScore,
        RateOfChange = RateOfChange,
        Flatline = Flatline,
    };

    /// <summary>The parameters of <see cref="Kind"/>, for display.</summary>
    public object Parameters => Kind switch
    {
        DetectorKind.Threshold => Threshold,
        DetectorKind.ZScore => ZScore,
        DetectorKind.RateOfChange => RateOfChange,
        DetectorKind.Flatline => Flatline,
        _ => Heartbeat,
    };
}
