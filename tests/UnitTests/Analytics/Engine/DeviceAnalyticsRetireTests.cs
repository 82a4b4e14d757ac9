using DeviceTwins.Analytics;
using DeviceTwins.Analytics.Alerts;
using DeviceTwins.Analytics.Detection;
using DeviceTwins.Analytics.Rules;

namespace DeviceTwins.UnitTests.Analytics.Engine;

public sealed class DeviceAnalyticsRetireTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private static readonly Dictionary<string, string> NoTags = [];

    [Fact]
    public void Retire_RuleRemovedFromConfiguration_ClearsItsActiveAlertAndDropsItsState()
    {
        var overload = new RuleOptions { Name = "overload", Kind = DetectorKind.Threshold, Metrics = ["load"], Threshold = new ThresholdOptions { RaiseAbove = 90, ClearBelow = 50 } };
        var before = new DeviceAnalytics(new AnalyticsOptions { UseDefaultRules = false, Rules = [overload] });
        var state = new DeviceAnalyticsState();
        before.Observe(state, "d1", before.RulesFor("d1", NoTags), T0, [new("load", 95)], T0);
        var raised = Assert.Single(state.PendingAlerts);
        state.PendingAlerts.Clear();

        var after = new DeviceAnalytics(new AnalyticsOptions { UseDefaultRules = false });
        after.Retire(state, after.RulesFor("d1", NoTags), T0.AddMinutes(5));

        var cleared = Assert.Single(state.PendingAlerts);
        Assert.Equal(raised.Id, cleared.Id);
        Assert.Equal(AlertStatus.Cleared, cleared.Status);
        Assert.Equal(T0.AddMinutes(5), cleared.ClearedAt);
        Assert.Equal("rule no longer in force for this device and metric", cleared.Reason);
        Assert.Empty(state.Detectors["load"]);

        // A second activation finds nothing more to retire.
        state.PendingAlerts.Clear();
        after.Retire(state, after.RulesFor("d1", NoTags), T0.AddMinutes(6));
        Assert.Empty(state.PendingAlerts);
    }

    [Fact]
    public void Retire_RulesStillInForce_ChangesNothing()
    {
        var engine = new DeviceAnalytics(new AnalyticsOptions
        {
            Rules = [new RuleOptions { Name = "overload", Kind = DetectorKind.Threshold, Metrics = ["load"], Threshold = new ThresholdOptions { RaiseAbove = 90, ClearBelow = 50 } }],
        });
        var rules = engine.RulesFor("d1", NoTags);
        var state = new DeviceAnalyticsState();
        for (var i = 0; i < 10; i++)
        {
            engine.Observe(state, "d1", rules, T0.AddSeconds(i * 10), [new("load", i == 9 ? 95 : 20)], T0.AddSeconds(i * 10));
        }

        var pending = state.PendingAlerts.Count;
        var detectors = state.Detectors["load"].Count;
        engine.Retire(state, rules, T0.AddMinutes(5));
        Assert.Equal(pending, state.PendingAlerts.Count);
        Assert.Equal(detectors, state.Detectors["load"].Count);
        Assert.Single(state.Heartbeats);
    }
}
