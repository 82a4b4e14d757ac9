using DeviceTwins.Analytics;
using static DeviceTwins.UnitTests.Analytics.Engine.EngineScenario;

namespace DeviceTwins.UnitTests.Analytics.Engine;

public sealed class DeviceAnalyticsRetentionTests
{
    [Fact]
    public void Observe_RetainedLowered_TrimsTheHistoryToTheNewLimit()
    {
        var state = new DeviceAnalyticsState();
        Flap(Engine(alertsRetained: 50), state, count: 5, from: 0);
        Assert.Equal(5, state.History.Count);

        Flap(Engine(alertsRetained: 2), state, count: 1, from: 5);

        Assert.Equal([At(4000), At(5000)], state.History.Select(a => a.RaisedAt));
    }

    [Fact]
    public void Observe_RetainedZero_KeepsNoHistoryAndNoRecentWindows()
    {
        var state = new DeviceAnalyticsState();
        Flap(Engine(alertsRetained: 50), state, count: 3, from: 0);
        Assert.Equal((3, 2), (state.History.Count, state.RecentWindows.Count));

        Flap(Engine(alertsRetained: 0, windowsRetained: 0), state, count: 1, from: 3);

        Assert.Empty(state.History);
        Assert.Empty(state.RecentWindows);
        Assert.Equal(3, state.PendingWindows.Count);
    }

    [Fact]
    public void Observe_WindowsBeyondRetained_KeepsTheLatest()
    {
        var state = new DeviceAnalyticsState();

        Flap(Engine(alertsRetained: 50, windowsRetained: 2), state, count: 4, from: 0);

        Assert.Equal([At(0), At(960), At(1980)], state.PendingWindows.Select(w => w.Start));
        Assert.Equal([At(960), At(1980)], state.RecentWindows.Select(w => w.Start));
    }

    // An alert raised at i * 1000 s and cleared 10 s later, each time; each raise also closes the previous window.
    private static void Flap(DeviceAnalytics engine, DeviceAnalyticsState state, int count, int from)
    {
        var rules = engine.RulesFor(Device, NoTags);
        for (var i = from; i < from + count; i++)
        {
            engine.Observe(state, Device, rules, At(i * 1000), Temperature(90), Processing(i * 1000));
            engine.Observe(state, Device, rules, At((i * 1000) + 10), Temperature(60), Processing((i * 1000) + 10));
        }
    }

    private static DeviceAnalytics Engine(int alertsRetained, int windowsRetained = 120) => new(new AnalyticsOptions
    {
        Windows = { Retained = windowsRetained },
        Alerts = { Retained = alertsRetained },
        UseDefaultRules = false,
        Rules = [Overheat()],
    });
}
