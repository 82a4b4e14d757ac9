using DeviceTwins.Analytics.Alerts;
using DeviceTwins.Grains.Index;
using DeviceTwins.Grains.Interfaces.Models;
using DeviceTwins.Grains.Twin;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace DeviceTwins.UnitTests.Fleet;

public sealed class DeviceSummariesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    internal static Alert Alert(string rule, AlertStatus status) => new()
    {
        Id = rule + status,
        DeviceId = "pump-1",
        Rule = rule,
        Detector = "threshold",
        Severity = AlertSeverity.Critical,
        Status = status,
        Value = 1,
        EventTime = T0,
        RaisedAt = T0,
        Reason = "test",
    };

    [Fact]
    public void Of_CopiesTagsMetricsVersionLastSeen_AndCountsActiveAlerts()
    {
        var state = new DeviceTwinState { Version = 7, LastSeen = T0 };
        state.Metrics.Set("temperature", new MetricReading(81.5, T0));
        state.Metrics.Set("pressure", new MetricReading(1.2, T0.AddSeconds(-1)));
        state.Tags = new Dictionary<string, string> { ["site"] = "plant-a" };
        state.Analytics.Alerts["overheat"] = new() { ["temperature"] = new AlertState { Current = Alert("overheat", AlertStatus.Raised) } };
        state.Analytics.Alerts["stuck"] = new() { ["pressure"] = new AlertState { Current = Alert("stuck", AlertStatus.Cleared) } };
        state.Analytics.Alerts["jump"] = new() { ["pressure"] = new AlertState() };

        var summary = DeviceSummaries.Of("pump-1", state);

        Assert.Equal("pump-1", summary.DeviceId);
        Assert.Equal(7, summary.Version);
        Assert.Equal(T0, summary.LastSeen);
        Assert.Equal(new Dictionary<string, double> { ["temperature"] = 81.5, ["pressure"] = 1.2 }, summary.Metrics);
        Assert.Equal(new Dictionary<string, string> { ["site"] = "plant-a" }, summary.Tags);
        Assert.Equal(1, summary.ActiveAlerts);
        Assert.False(summary.OfflineAlert);

        // Later changes of the twin do not show through: the metrics are a copy, and tags are replaced whole.
        state.Metrics.Set("temperature", new MetricReading(20, T0.AddSeconds(1)));
        state.Tags = new Dictionary<string, string> { ["site"] = "plant-b" };
        Assert.Equal(81.5, summary.Metrics["temperature"]);
        Assert.Equal("plant-a", summary.Tags["site"]);
    }

    [Fact]
    public void Of_SentToAnotherSilo_ArrivesWithTheSameTagsAndMetrics()
    {
        var state = new DeviceTwinState { Version = 3, LastSeen = T0 };
        state.Metrics.Set("temperature", new MetricReading(81.5, T0));
        state.Metrics.Set("pressure", new MetricReading(1.2, T0));
        state.Tags = new Dictionary<string, string> { ["site"] = "plant-a" };
        using var provider = new ServiceCollection().AddSerializer().BuildServiceProvider();
        var serializer = provider.GetRequiredService<Serializer>();

        var summary = DeviceSummaries.Of("pump-1", state);
        var copy = serializer.Deserialize<DeviceSummary>(serializer.SerializeToArray(summary))!;

        Assert.Equal(summary.Metrics.ToDictionary(), copy.Metrics.ToDictionary());
        Assert.Equal(summary.Tags.ToDictionary(), copy.Tags.ToDictionary());
        Assert.Equal((summary.DeviceId, summary.Version, summary.LastSeen), (copy.DeviceId, copy.Version, copy.LastSeen));
    }

    [Fact]
    public void Of_MarksAnActiveOfflineAlert()
    {
        var state = new DeviceTwinState { Version = 1, LastSeen = T0 };
        state.Analytics.Alerts["offline"] = new() { [""] = new AlertState { Current = Alert("offline", AlertStatus.Acknowledged) } };
        var summary = DeviceSummaries.Of("pump-1", state);
        Assert.Equal(1, summary.ActiveAlerts);
        Assert.True(summary.OfflineAlert);
    }
}
