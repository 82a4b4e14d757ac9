using DeviceTwins.Analytics;
using DeviceTwins.Analytics.Alerts;
using DeviceTwins.Analytics.Detection;
using DeviceTwins.Analytics.Rules;

namespace DeviceTwins.UnitTests.Analytics.Engine;

/// <summary>Shared setup of the engine tests: one device, 1-minute windows with a 10 s grace, explicit rules, and separate event and processing clocks.</summary>
internal static class EngineScenario
{
    public const string Device = "dev-1";

    /// <summary>Event time zero: the timestamps the device writes.</summary>
    public static readonly DateTimeOffset EventBase = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Processing time zero: the silo's clock, deliberately far from event time.</summary>
    public static readonly DateTimeOffset ProcessingBase = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static readonly IReadOnlyDictionary<string, string> NoTags = new Dictionary<string, string>(StringComparer.Ordinal);

    public static readonly AlertSubject OverheatSubject = new(Device, "overheat", "threshold", "temperature", AlertSeverity.Critical);

    public static readonly AlertSubject OfflineSubject = new(Device, "offline", "heartbeat", null, AlertSeverity.Critical);

    public static RuleOptions Overheat() => new()
    {
        Name = "overheat",
        Kind = DetectorKind.Threshold,
        Metrics = ["temperature"],
        Severity = AlertSeverity.Critical,
        Threshold = new ThresholdOptions { RaiseAbove = 80, ClearBelow = 70 },
    };

    public static RuleOptions Offline() => new()
    {
        Name = "offline",
        Kind = DetectorKind.Heartbeat,
        Severity = AlertSeverity.Critical,
        Heartbeat = new HeartbeatOptions { Multiplier = 3, WarmUp = 3, Alpha = 0.2, MinInterval = TimeSpan.FromSeconds(1) },
    };

    public static DeviceAnalytics CreateEngine(params RuleOptions[] rules) => new(new AnalyticsOptions
    {
        Windows = { Sizes = [TimeSpan.FromMinutes(1)], Grace = TimeSpan.FromSeconds(10), Retained = 120 },
        Alerts = { FlapRaises = 3, FlapWindow = TimeSpan.FromMinutes(10), Retained = 50 },
        UseDefaultRules = false,
        Rules = [.. rules],
    });

    public static DateTimeOffset At(double seconds) => EventBase.AddSeconds(seconds);

    public static DateTimeOffset Processing(double seconds) => ProcessingBase.AddSeconds(seconds);

    public static KeyValuePair<string, double>[] Temperature(double value) => [new("temperature", value)];
}
