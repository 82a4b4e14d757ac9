using DeviceTwins.Analytics.Alerts;
using DeviceTwins.Analytics.Detection;
using DeviceTwins.Analytics.Rules;
using DeviceTwins.Analytics.Windows;

namespace DeviceTwins.Analytics;

/// <summary>Windows, alert lifecycle and anomaly rules of every twin (configuration section "Analytics").</summary>
public sealed class AnalyticsOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Analytics";

    /// <summary>Tumbling windows.</summary>
    public WindowOptions Windows { get; set; } = new();

    /// <summary>Alert lifecycle.</summary>
    public AlertOptions Alerts { get; set; } = new();

    /// <summary>Whether <see cref="DefaultRules"/> apply before <see cref="Rules"/>.</summary>
    public bool UseDefaultRules { get; set; } = true;

    /// <summary>Rules from configuration, applied after the defaults: a rule of the same name overrides or (Enabled false) turns off a default for what it selects.</summary>
    public List<RuleOptions> Rules { get; set; } = [];

    /// <summary>The rules in force, defaults first.</summary>
    public IEnumerable<RuleOptions> EffectiveRules => UseDefaultRules ? DefaultRules().Concat(Rules) : Rules;

    /// <summary>
    /// The default rules, one configuration for every metric and device: a rolling statistical detector on every
    /// metric and a heartbeat on every device. Their quality is measured on the Numenta Anomaly Benchmark (bench/Nab).
    /// </summary>
    /// <remarks>
    /// The anomaly rule learns an exponentially weighted baseline that remembers about 200 records and judges nothing
    /// before it has seen that many and the metric has changed at least once (its deviation is floored at its resolution,
    /// the smallest change seen). It raises on what is unprecedented for the metric rather than on a fixed |z|: a value
    /// beyond the range of its extremes (fading with a half-life of 100,000 records), extrapolated a decade further by
    /// twice the gap to an envelope that fades ten times faster, and at least 3 deviations out; a run of values whose mean
    /// |z| over about 10 records is at least 2 and 6 of its own usual deviations above its usual level (level shifts,
    /// bursts of noise); a center that has moved from its long-run level by 6 times as far as it usually strays (drifts);
    /// a value repeated for 10 records and 3 times the longest run it has shown (a stuck sensor). |z| beyond 50 raises in
    /// any case; an alert holds until every test is back, so one episode raises once. The false-alarm benchmark
    /// (bench/Detection) and NAB (bench/Nab) measure it.
    /// </remarks>
    public static IReadOnlyList<RuleOptions> DefaultRules() =>
    [
        new RuleOptions
        {
            Name = "anomaly",
            Kind = DetectorKind.ZScore,
            Severity = AlertSeverity.Warning,
            ZScore = new ZScoreOptions
            {
                Method = ZScoreMethod.Ewma,
                Alpha = 0.005,
                WarmUp = 200,
                RaiseZ = 50,
                ClearZ = 1,
                EnvelopeHalfLife = 100_000,
                EnvelopeMargin = 0.25,
                EnvelopeExtrapolation = 2,
                FloorAtResolution = true,
                UnbiasedStart = true,
                EnvelopeRecordFloor = true,
                Seasonal = true,
                EnvelopeMinZ = 3,
                StuckRecords = 10,
                StuckFactor = 3,
                SustainedZ = 6,
                SustainedAlpha = 0.1,
                SustainedBaselineAlpha = 0.0005,
            },
        },
        new RuleOptions
        {
            Name = "offline",
            Kind = DetectorKind.Heartbeat,
            Severity = AlertSeverity.Critical,
            Heartbeat = new HeartbeatOptions(),
        },
    ];

    /// <summary>Messages naming each invalid setting, empty when the options are valid.</summary>
    public IEnumerable<string> Validate()
    {
        foreach (var error in Windows.Validate().Concat(Alerts.Validate()))
        {
            yield return $"{Section}:{error}";
        }

        var index = 0;
        foreach (var rule in Rules)
        {
            var key = $"{Section}:Rules:{index++}";
            if (string.IsNullOrWhiteSpace(rule.Name) || rule.Name.Length > 64 || rule.Name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
            {
                yield return $"{key}:Name must be 1-64 letters, digits, '-', '_' or '.'.";
            }

            if (!Enum.IsDefined(rule.Kind))
            {
                yield return $"{key}:Kind must be one of {string.Join(", ", Enum.GetNames<DetectorKind>())}.";
                continue;
            }

            if (!Enum.IsDefined(rule.Severity))
            {
                yield return $"{key}:Severity must be one of {string.Join(", ", Enum.GetNames<AlertSeverity>())}.";
            }

            foreach (var error in EmptyPatterns(key, nameof(rule.Metrics), rule.Metrics).Concat(EmptyPatterns(key, nameof(rule.Devices), rule.Devices)))
            {
                yield return error;
            }

            if (!rule.Enabled)
            {
                continue;
            }

            // Detector options already prefix their messages with their section ("Threshold:..."); heartbeat options do not.
            var errors = rule.Kind == DetectorKind.Heartbeat
                ? rule.Heartbeat.Validate().Select(error => $"{nameof(rule.Heartbeat)}:{error}")
                : rule.ToDetectorOptions().Validate(rule.Kind);
            foreach (var error in errors)
            {
                yield return $"{key}:{error}";
            }
        }
    }

    private static IEnumerable<string> EmptyPatterns(string key, string name, List<string> patterns) =>
        patterns.Select((pattern, i) => (pattern, i)).Where(p => string.IsNullOrEmpty(p.pattern)).Select(p => $"{key}:{name}:{p.i} must not be empty.");
}
