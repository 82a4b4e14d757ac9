using DeviceTwins.Analytics;
using DeviceTwins.Analytics.Alerts;
using DeviceTwins.Analytics.Detection;
using DeviceTwins.Analytics.Rules;

namespace DeviceTwins.Bench;

/// <summary>
/// The analytics both sides of the benchmark run: 1-minute and 5-minute windows, the default rules (z-score on every
/// metric, heartbeat) and one rule of each other detector, so every record goes through every kind of check.
/// </summary>
internal static class BenchAnalytics
{
    /// <summary>Threshold rule the latency phase trips.</summary>
    public const string Overheat = "overheat";

    /// <summary>The options, for the baseline loop.</summary>
    public static AnalyticsOptions Options() => new()
    {
        Windows = { Sizes = [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5)] },
        Rules =
        [
            new RuleOptions { Name = Overheat, Kind = DetectorKind.Threshold, Metrics = ["temperature"], Severity = AlertSeverity.Critical, Threshold = new ThresholdOptions { RaiseAbove = 80, ClearBelow = 70 } },
            new RuleOptions { Name = "jump", Kind = DetectorKind.RateOfChange, Metrics = ["pressure"], RateOfChange = new RateOfChangeOptions { MaxPerSecond = 0.5 } },
            new RuleOptions { Name = "stuck", Kind = DetectorKind.Flatline, Metrics = ["humidity"], Flatline = new FlatlineOptions { Epsilon = 0, MinRecords = 50 } },
        ],
    };

    /// <summary>The same options as configuration for the silo process.</summary>
    public static IReadOnlyDictionary<string, string> SiloSettings() => new Dictionary<string, string>
    {
        ["Analytics__Windows__Sizes__0"] = "00:01:00",
        ["Analytics__Windows__Sizes__1"] = "00:05:00",
        ["Analytics__Rules__0__Name"] = Overheat,
        ["Analytics__Rules__0__Kind"] = "Threshold",
        ["Analytics__Rules__0__Metrics__0"] = "temperature",
        ["Analytics__Rules__0__Severity"] = "Critical",
        ["Analytics__Rules__0__Threshold__RaiseAbove"] = "80",
        ["Analytics__Rules__0__Threshold__ClearBelow"] = "70",
        ["Analytics__Rules__1__Name"] = "jump",
        ["Analytics__Rules__1__Kind"] = "RateOfChange",
        ["Analytics__Rules__1__Metrics__0"] = "pressure",
        ["Analytics__Rules__1__RateOfChange__MaxPerSecond"] = "0.5",
        ["Analytics__Rules__2__Name"] = "stuck",
        ["Analytics__Rules__2__Kind"] = "Flatline",
        ["Analytics__Rules__2__Metrics__0"] = "humidity",
        ["Analytics__Rules__2__Flatline__Epsilon"] = "0",
        ["Analytics__Rules__2__Flatline__MinRecords"] = "50",
    };
}
