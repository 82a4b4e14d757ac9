using DeviceTwins.Analytics.Alerts;
using DeviceTwins.Analytics.Detection;
using DeviceTwins.Analytics.Rules;

namespace DeviceTwins.UnitTests.Analytics.Rules;

public sealed class CompiledRuleTests
{
    private static readonly Dictionary<string, string> NoTags = new(StringComparer.Ordinal);

    [Fact]
    public void Selects_NoSelectors_EveryDeviceAndMetric()
    {
        var rule = new CompiledRule(new RuleOptions { Name = "r", Kind = DetectorKind.ZScore }, 0);

        Assert.True(rule.Selects("anything", NoTags));
        Assert.True(rule.SelectsMetric("anything"));
    }

    [Fact]
    public void Selects_DevicePatterns_AnyPatternMatches()
    {
        var rule = new CompiledRule(new RuleOptions { Name = "r", Kind = DetectorKind.ZScore, Devices = ["pump-*", "fan-7"] }, 0);

        Assert.True(rule.Selects("pump-12", NoTags));
        Assert.True(rule.Selects("fan-7", NoTags));
        Assert.False(rule.Selects("fan-70", NoTags));
        Assert.False(rule.Selects("boiler-1", NoTags));
    }

    [Fact]
    public void Selects_Tags_AllMustMatchOrdinally()
    {
        var rule = new CompiledRule(new RuleOptions { Name = "r", Kind = DetectorKind.ZScore, Tags = new(StringComparer.Ordinal) { ["site"] = "paris", ["tier"] = "gold" } }, 0);

        Assert.True(rule.Selects("d", Tags(("site", "paris"), ("tier", "gold"), ("extra", "x"))));
        Assert.False(rule.Selects("d", Tags(("site", "paris"))));
        Assert.False(rule.Selects("d", Tags(("site", "paris"), ("tier", "Gold"))));
        Assert.False(rule.Selects("d", NoTags));
    }

    [Fact]
    public void Selects_DevicesAndTags_BothMustMatch()
    {
        var rule = new CompiledRule(new RuleOptions { Name = "r", Kind = DetectorKind.ZScore, Devices = ["pump-*"], Tags = new(StringComparer.Ordinal) { ["site"] = "paris" } }, 0);

        Assert.True(rule.Selects("pump-1", Tags(("site", "paris"))));
        Assert.False(rule.Selects("fan-1", Tags(("site", "paris"))));
        Assert.False(rule.Selects("pump-1", Tags(("site", "lyon"))));
    }

    [Fact]
    public void SelectsMetric_Patterns_AnyPatternMatches()
    {
        var rule = new CompiledRule(new RuleOptions { Name = "r", Kind = DetectorKind.ZScore, Metrics = ["temp*", "pressure"] }, 0);

        Assert.True(rule.SelectsMetric("temperature"));
        Assert.True(rule.SelectsMetric("pressure"));
        Assert.False(rule.SelectsMetric("humidity"));
    }

    [Fact]
    public void Constructor_MetricRule_BuildsItsDetector()
    {
        var rule = new CompiledRule(new RuleOptions { Name = "overheat", Kind = DetectorKind.Threshold, Severity = AlertSeverity.Critical, Threshold = new ThresholdOptions { RaiseAbove = 80 } }, 3);

        Assert.Equal(DetectorKind.Threshold, rule.Detector!.Kind);
        Assert.Null(rule.Heartbeat);
        Assert.False(rule.IsDeviceLevel);
        Assert.Equal(("overheat", "threshold", AlertSeverity.Critical, 3), (rule.Name, rule.DetectorName, rule.Severity, rule.Order));
    }

    [Fact]
    public void Constructor_Heartbeat_IsDeviceLevel()
    {
        var rule = new CompiledRule(new RuleOptions { Name = "offline", Kind = DetectorKind.Heartbeat }, 0);

        Assert.NotNull(rule.Heartbeat);
        Assert.Null(rule.Detector);
        Assert.True(rule.IsDeviceLevel);
        Assert.Equal("heartbeat", rule.DetectorName);
    }

    [Fact]
    public void Constructor_Disabled_BuildsNoDetectorEvenWithInvalidParameters()
    {
        var rule = new CompiledRule(new RuleOptions { Name = "overheat", Kind = DetectorKind.Threshold, Enabled = false }, 0);

        Assert.Null(rule.Detector);
        Assert.Null(rule.Heartbeat);
    }

    private static Dictionary<string, string> Tags(params (string Key, string Value)[] tags) =>
        tags.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
}
