using DeviceTwins.Analytics.Alerts;
using DeviceTwins.Grains.Publishing;

namespace DeviceTwins.UnitTests.Publishing;

/// <summary>An alert about a metric's readings goes in the first lane; heartbeat alerts alone do not.</summary>
public sealed class OutputLanesTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Alerts_OnlyThoseOnAMetricFromTheGivenIndexOn_AreReadingAlerts()
    {
        var offline = Alert("offline", metric: null);
        var overheat = Alert("overheat", metric: "temperature");

        Assert.False(OutputLanes.HasReadingAlert([]));
        Assert.False(OutputLanes.HasReadingAlert([offline, offline]));
        Assert.True(OutputLanes.HasReadingAlert([offline, overheat]));
        Assert.False(OutputLanes.HasReadingAlert([overheat, offline], from: 1));
        Assert.True(OutputLanes.HasReadingAlert([offline, overheat], from: 1));
        Assert.False(OutputLanes.HasReadingAlert([overheat], from: 1));
    }

    private static Alert Alert(string rule, string? metric) => new()
    {
        Id = rule + "-1",
        DeviceId = "pump-1",
        Rule = rule,
        Detector = metric is null ? "heartbeat" : "threshold",
        Metric = metric,
        Severity = AlertSeverity.Warning,
        Status = AlertStatus.Raised,
        Value = 1,
        EventTime = At,
        RaisedAt = At,
        Reason = "test",
    };
}
