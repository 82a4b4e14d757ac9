using DeviceTwins.Analytics;
using DeviceTwins.Analytics.Alerts;
using DeviceTwins.Analytics.Detection;
using DeviceTwins.Analytics.Rules;

namespace DeviceTwins.ClusterTests;

/// <summary>The analytics configuration of the cluster tests: the defaults plus a threshold rule that tests trip on purpose.</summary>
internal static class TestRules
{
    /// <summary>Name of the threshold rule on metric "load".</summary>
    public const string Overload = "overload";

    /// <summary>Name of the threshold rule on metric "vibration" that applies only to devices tagged site=plant-a.</summary>
    public const string PlantAVibration = "plant-a-vibration";

    public static AnalyticsOptions Analytics() => new()
    {
        Rules =
        [
            new RuleOptions
            {
                Name = PlantAVibration,
                Kind = DetectorKind.Threshold,
                Metrics = ["vibration"],
                Tags = new Dictionary<string, string> { ["site"] = "plant-a" },
                Threshold = new ThresholdOptions { RaiseAbove = 5, ClearBelow = 2 },
            },
            new RuleOptions
            {
                Name = Overload,
                Kind = DetectorKind.Threshold,
                Metrics = ["load"],
                Severity = AlertSeverity.Critical,
                Threshold = new ThresholdOptions { RaiseAbove = 90, ClearBelow = 50 },
            },
        ],
    };
}
