using DeviceTwins.Analytics;
using DeviceTwins.Analytics.Alerts;
using DeviceTwins.Analytics.Detection;
using DeviceTwins.Analytics.Rules;

namespace DeviceTwins.UnitTests.Storage;

/// <summary>
/// A twin's analytics state with every kind of detector, open windows, alert states and outputs still to publish,
/// built deterministically by the engine the twins run.
/// </summary>
internal static class AnalyticsStateSamples
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    private static readonly System.Text.Json.JsonSerializerOptions JsonOptions = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>Every public property of a state as JSON, to compare two states field by field.</summary>
    public static string Json(DeviceAnalyticsState state) => System.Text.Json.JsonSerializer.Serialize(state, JsonOptions);

    public static DeviceAnalytics Engine() => new(new AnalyticsOptions
    {
        Windows = { Sizes = [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5)] },
        Rules =
        [
            new RuleOptions { Name = "overheat", Kind = DetectorKind.Threshold, Metrics = ["temperature"], Severity = AlertSeverity.Critical, Threshold = new ThresholdOptions { RaiseAbove = 80, ClearBelow = 70 } },
            new RuleOptions { Name = "jump", Kind = DetectorKind.RateOfChange, Metrics = ["pressure"], RateOfChange = new RateOfChangeOptions { MaxPerSecond = 0.5 } },
            new RuleOptions { Name = "stuck", Kind = DetectorKind.Flatline, Metrics = ["humidity"], Flatline = new FlatlineOptions { Epsilon = 0, MinRecords = 50 } },
            new RuleOptions { Name = "window-z", Kind = DetectorKind.ZScore, Metrics = ["pressure"], ZScore = new ZScoreOptions { Method = ZScoreMethod.Welford, Window = 20, WarmUp = 10 } },
            new RuleOptions { Name = "robust-z", Kind = DetectorKind.ZScore, Metrics = ["humidity"], ZScore = new ZScoreOptions { Method = ZScoreMethod.Robust, Window = 15, WarmUp = 10 } },
        ],
    });

    /// <summary>
    /// 3,000 records a minute apart (a little over two days, so the daily season is learned), with spikes, a stuck run
    /// and a threshold crossing; outputs are taken away as the outbox would, except those of the last 10 records.
    /// </summary>
    public static DeviceAnalyticsState Busy(DeviceAnalytics engine, int records = 3000)
    {
        var rules = engine.RulesFor("pump-1", new Dictionary<string, string> { ["site"] = "north" });
        var state = new DeviceAnalyticsState();
        for (var i = 0; i < records; i++)
        {
            var at = T0.AddMinutes(i);
            var hour = i / 60.0;
            var temperature = 40 + (10 * Math.Sin(hour * Math.PI / 12)) + ((i * 7919 % 13) / 10.0) + (i % 500 == 499 ? 50 : 0);
            var pressure = 2 + ((i * 104729 % 17) / 100.0) + (i % 700 == 650 ? 3 : 0);
            var humidity = i is > 2900 and < 2990 ? 55 : 50 + ((i * 31 % 11) / 10.0);
            engine.Observe(state, "pump-1", rules, at, [new("temperature", temperature), new("pressure", pressure), new("humidity", humidity)], at.AddSeconds(1));
            if (i < records - 10)
            {
                state.PendingAlerts.Clear();
                state.PendingWindows.Clear();
            }
        }

        return state;
    }
}
