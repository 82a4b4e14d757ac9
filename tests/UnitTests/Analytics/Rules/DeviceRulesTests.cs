using DeviceTwins.Analytics;
using DeviceTwins.Analytics.Detection;
using DeviceTwins.Analytics.Rules;

namespace DeviceTwins.UnitTests.Analytics.Rules;

public sealed class DeviceRulesTests
{
    private static readonly Dictionary<string, string> NoTags = new(StringComparer.Ordinal);

    private static readonly RuleOptions DefaultAnomaly = new() { Name = "anomaly", Kind = DetectorKind.ZScore };
    private static readonly RuleOptions DefaultOffline = new() { Name = "offline", Kind = DetectorKind.Heartbeat };

    [Fact]
    public void For_DefaultOverriddenForOneMetric_TheLaterRuleWinsForThatMetricOnly()
    {
        var overheat = new RuleOptions { Name = "anomaly", Kind = DetectorKind.Threshold, Metrics = ["temperature"], Threshold = new ThresholdOptions { RaiseAbove = 80 } };
        var rules = Resolve("dev-1", NoTags, DefaultAnomaly, overheat);

        Assert.Equal([overheat], rules.For("temperature").Select(r => r.Options));
        Assert.Equal([DefaultAnomaly], rules.For("humidity").Select(r => r.Options));
    }

    [Fact]
    public void For_EarlierRuleOfTheSameName_DoesNotOverrideALaterOne()
    {
        var overheat = new RuleOptions { Name = "anomaly", Kind = DetectorKind.Threshold, Metrics = ["temperature"], Threshold = new ThresholdOptions { RaiseAbove = 80 } };
        var rules = Resolve("dev-1", NoTags, overheat, DefaultAnomaly);

        Assert.Equal([DefaultAnomaly], rules.For("temperature").Select(r => r.Options));
    }

    [Fact]
    public void For_RulesOfDifferentNames_AllApplyInOrder()
    {
        var overheat = new RuleOptions { Name = "overheat", Kind = DetectorKind.Threshold, Metrics = ["temp*"], Threshold = new ThresholdOptions { RaiseAbove = 80 } };
        var stuck = new RuleOptions { Name = "stuck", Kind = DetectorKind.Flatline, Flatline = new FlatlineOptions { MinRecords = 10 } };
        var rules = Resolve("dev-1", NoTags, DefaultAnomaly, DefaultOffline, overheat, stuck);

        Assert.Equal(["anomaly", "overheat", "stuck"], rules.For("temperature").Select(r => r.Name));
        Assert.Equal(["anomaly", "stuck"], rules.For("humidity").Select(r => r.Name));
        Assert.Same(rules.For("temperature"), rules.For("temperature"));
    }

    [Fact]
    public void For_DisabledForOneMetric_RemovesTheRuleForThatMetricOnly()
    {
        var off = new RuleOptions { Name = "anomaly", Enabled = false, Metrics = ["humidity"] };
        var rules = Resolve("dev-1", NoTags, DefaultAnomaly, off);

        Assert.Empty(rules.For("humidity"));
        Assert.Equal([DefaultAnomaly], rules.For("temperature").Select(r => r.Options));
    }

    [Fact]
    public void For_DisabledThenReEnabled_TheLastRuleWins()
    {
        var off = new RuleOptions { Name = "anomaly", Enabled = false };
        var on = new RuleOptions { Name = "anomaly", Kind = DetectorKind.ZScore, Metrics = ["temperature"], ZScore = new ZScoreOptions { RaiseZ = 6, ClearZ = 3 } };
        var rules = Resolve("dev-1", NoTags, DefaultAnomaly, off, on);

        Assert.Equal([on], rules.For("temperature").Select(r => r.Options));
        Assert.Empty(rules.For("humidity"));
    }

    [Fact]
    public void For_DisabledForADevicePattern_RemovesTheRuleOnMatchingDevicesOnly()
    {
        var off = new RuleOptions { Name = "anomaly", Enabled = false, Devices = ["sim-*"] };

        Assert.Empty(Resolve("sim-4", NoTags, DefaultAnomaly, off).For("temperature"));
        Assert.Equal([DefaultAnomaly], Resolve("pump-4", NoTags, DefaultAnomaly, off).For("temperature").Select(r => r.Options));
    }

    [Fact]
    public void For_OverrideForTaggedDevices_AppliesWhenEveryTagMatches()
    {
        var strict = new RuleOptions
        {
            Name = "anomaly",
            Kind = DetectorKind.ZScore,
            Tags = new(StringComparer.Ordinal) { ["site"] = "paris", ["tier"] = "gold" },
            ZScore = new ZScoreOptions { RaiseZ = 3, ClearZ = 1 },
        };
        var gold = new Dictionary<string, string>(StringComparer.Ordinal) { ["site"] = "paris", ["tier"] = "gold" };
        var silver = new Dictionary<string, string>(StringComparer.Ordinal) { ["site"] = "paris", ["tier"] = "silver" };

        Assert.Equal([strict], Resolve("d", gold, DefaultAnomaly, strict).For("temperature").Select(r => r.Options));
        Assert.Equal([DefaultAnomaly], Resolve("d", silver, DefaultAnomaly, strict).For("temperature").Select(r => r.Options));
    }

    [Fact]
    public void DeviceLevel_Heartbeat_IsDeviceLevelAndNeverAMetricRule()
    {
        var rules = Resolve("dev-1", NoTags, DefaultAnomaly, DefaultOffline);

        Assert.Equal([DefaultOffline], rules.DeviceLevel.Select(r => r.Options));
        Assert.Equal(["anomaly"], rules.For("temperature").Select(r => r.Name));
    }

    [Fact]
    public void DeviceLevel_LaterHeartbeatForADevicePattern_WinsOnMatchingDevices()
    {
        var slow = new RuleOptions { Name = "offline", Kind = DetectorKind.Heartbeat, Devices = ["meter-*"], Heartbeat = new HeartbeatOptions { Multiplier = 10 } };

        Assert.Equal([slow], Resolve("meter-1", NoTags, DefaultOffline, slow).DeviceLevel.Select(r => r.Options));
        Assert.Equal([DefaultOffline], Resolve("pump-1", NoTags, DefaultOffline, slow).DeviceLevel.Select(r => r.Options));
    }

    [Fact]
    public void DeviceLevel_DisabledByName_RemovesTheHeartbeat()
    {
        var off = new RuleOptions { Name = "offline", Enabled = false };
        var rules = Resolve("dev-1", NoTags, DefaultAnomaly, DefaultOffline, off);

        Assert.Empty(rules.DeviceLevel);
        Assert.Equal(["anomaly"], rules.For("temperature").Select(r => r.Name));
        Assert.Equal([DefaultAnomaly], rules.Selected.Select(r => r.Options));
    }

    [Fact]
    public void DeviceLevel_DisabledHeartbeatForADevicePattern_RemovesItOnMatchingDevicesOnly()
    {
        var off = new RuleOptions { Name = "offline", Kind = DetectorKind.Heartbeat, Enabled = false, Devices = ["sim-*"] };

        Assert.Empty(Resolve("sim-1", NoTags, DefaultOffline, off).DeviceLevel);
        Assert.Equal([DefaultOffline], Resolve("pump-1", NoTags, DefaultOffline, off).DeviceLevel.Select(r => r.Options));
    }

    [Fact]
    public void Selected_DisabledOrUnselectedRules_AreLeftOut()
    {
        var pumps = new RuleOptions { Name = "overheat", Kind = DetectorKind.Threshold, Devices = ["pump-*"], Threshold = new ThresholdOptions { RaiseAbove = 80 } };
        var off = new RuleOptions { Name = "anomaly", Enabled = false, Metrics = ["humidity"] };
        var analytics = new DeviceAnalytics(new AnalyticsOptions { Rules = [pumps, off] });

        Assert.Equal(["anomaly", "offline", "overheat"], analytics.RulesFor("pump-1", NoTags).Selected.Select(r => r.Name));
        Assert.Equal(["anomaly", "offline"], analytics.RulesFor("fan-1", NoTags).Selected.Select(r => r.Name));
    }

    [Fact]
    public void RulesFor_DevicesSelectedByTheSameRules_ShareOneInstance_OthersGetTheirOwn()
    {
        var pumps = new RuleOptions { Name = "overheat", Kind = DetectorKind.Threshold, Devices = ["pump-*"], Threshold = new ThresholdOptions { RaiseAbove = 80 } };
        var analytics = new DeviceAnalytics(new AnalyticsOptions { Rules = [pumps] });

        var pump1 = analytics.RulesFor("pump-1", NoTags);
        var pump2 = analytics.RulesFor("pump-2", new Dictionary<string, string> { ["site"] = "north" });
        var fan = analytics.RulesFor("fan-1", NoTags);

        Assert.Same(pump1, pump2);
        Assert.NotSame(pump1, fan);
        Assert.Same(fan, analytics.RulesFor("fan-2", NoTags));
        Assert.Equal(["anomaly", "overheat"], pump1.For("temperature").Select(r => r.Name));
        Assert.Equal(["anomaly"], fan.For("temperature").Select(r => r.Name));
    }

    [Fact]
    public void For_SharedRulesAskedFromManyThreads_SameAnswerForEveryMetric()
    {
        var rules = new DeviceAnalytics(new AnalyticsOptions()).RulesFor("pump-1", NoTags);

        var answers = Enumerable.Range(0, 64).AsParallel().Select(i => rules.For("m" + (i % 8)).Select(r => r.Name).ToList()).ToList();

        Assert.All(answers, a => Assert.Equal(["anomaly"], a));
    }

    private static DeviceRules Resolve(string deviceId, IReadOnlyDictionary<string, string> tags, params RuleOptions[] options) =>
        new(options.Select((o, i) => new CompiledRule(o, i)), deviceId, tags);
}
