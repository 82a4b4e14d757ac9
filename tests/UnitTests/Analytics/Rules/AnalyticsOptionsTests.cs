using DeviceTwins.Analytics;
using DeviceTwins.Analytics.Alerts;
using DeviceTwins.Analytics.Detection;
using DeviceTwins.Analytics.Rules;

namespace DeviceTwins.UnitTests.Analytics.Rules;

public sealed class AnalyticsOptionsTests
{
    [Fact]
    public void Validate_Defaults_IsEmpty()
    {
        Assert.Empty(new AnalyticsOptions().Validate());
    }

    [Fact]
    public void EffectiveRules_WithDefaults_DefaultsComeFirst()
    {
        var mine = new RuleOptions { Name = "overheat", Kind = DetectorKind.Threshold, Threshold = new ThresholdOptions { RaiseAbove = 80 } };

        Assert.Equal(
            [("anomaly", DetectorKind.ZScore, AlertSeverity.Warning), ("offline", DetectorKind.Heartbeat, AlertSeverity.Critical), ("overheat", DetectorKind.Threshold, AlertSeverity.Warning)],
            new AnalyticsOptions { Rules = [mine] }.EffectiveRules.Select(r => (r.Name, r.Kind, r.Severity)));
        Assert.Equal([mine], new AnalyticsOptions { UseDefaultRules = false, Rules = [mine] }.EffectiveRules);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("has space")]
    [InlineData("slash/name")]
    [InlineData("é")]
    public void Validate_BadName_NamesTheKey(string name)
    {
        var options = Options(Rule(), Rule(name: name));

        Assert.Equal(["Analytics:Rules:1:Name must be 1-64 letters, digits, '-', '_' or '.'."], options.Validate());
    }

    [Fact]
    public void Validate_NameLength_AllowsUpToSixtyFourCharacters()
    {
        Assert.Empty(Options(Rule(name: new string('a', 64))).Validate());
        Assert.Equal(["Analytics:Rules:0:Name must be 1-64 letters, digits, '-', '_' or '.'."], Options(Rule(name: new string('a', 65))).Validate());
        Assert.Empty(Options(Rule(name: "Over-heat_2.b")).Validate());
    }

    [Fact]
    public void Validate_UnknownKind_NamesTheKey()
    {
        var options = Options(Rule(kind: (DetectorKind)42));

        Assert.Equal(["Analytics:Rules:0:Kind must be one of Threshold, ZScore, RateOfChange, Flatline, Heartbeat."], options.Validate());
    }

    [Fact]
    public void Validate_UnknownSeverity_NamesTheKey()
    {
        var options = Options(Rule(severity: (AlertSeverity)7));

        Assert.Equal(["Analytics:Rules:0:Severity must be one of Info, Warning, Critical."], options.Validate());
    }

    [Fact]
    public void Validate_InvalidDetectorParameters_NamesTheKeyOnce()
    {
        var options = Options(new RuleOptions { Name = "overheat", Kind = DetectorKind.Threshold, Threshold = new ThresholdOptions { ClearBelow = 70 } });

        Assert.Equal(
            ["Analytics:Rules:0:Threshold:RaiseAbove or RaiseBelow must be set.", "Analytics:Rules:0:Threshold:ClearBelow requires RaiseAbove."],
            options.Validate());
    }

    [Fact]
    public void Validate_InvalidZScoreParameters_NamesTheKeyOnce()
    {
        var options = Options(new RuleOptions { Name = "anomaly", Kind = DetectorKind.ZScore, ZScore = new ZScoreOptions { WarmUp = 1 } });

        Assert.Equal(["Analytics:Rules:0:ZScore:WarmUp must be at least 2."], options.Validate());
    }

    [Fact]
    public void Validate_InvalidHeartbeatParameters_NamesTheKey()
    {
        var options = Options(new RuleOptions { Name = "offline", Kind = DetectorKind.Heartbeat, Heartbeat = new HeartbeatOptions { Multiplier = 1 } });

        Assert.Equal(["Analytics:Rules:0:Heartbeat:Multiplier must be a finite number greater than 1."], options.Validate());
    }

    [Fact]
    public void Validate_EmptyPatterns_NameEachEntry()
    {
        var options = Options(Rule(metrics: ["temperature", ""], devices: [""]));

        Assert.Equal(["Analytics:Rules:0:Metrics:1 must not be empty.", "Analytics:Rules:0:Devices:0 must not be empty."], options.Validate());
    }

    [Fact]
    public void Validate_DisabledRule_SkipsItsDetectorParameters()
    {
        Assert.Empty(Options(new RuleOptions { Name = "anomaly", Enabled = false, Metrics = ["humidity"] }).Validate());
        Assert.Empty(Options(new RuleOptions { Name = "overheat", Kind = DetectorKind.Threshold, Enabled = false }).Validate());
    }

    [Fact]
    public void Validate_WindowAndAlertErrors_ArePrefixedWithTheSection()
    {
        var options = new AnalyticsOptions
        {
            Windows = { Grace = TimeSpan.FromSeconds(-1) },
            Alerts = { FlapRaises = 1 },
        };

        Assert.Equal(["Analytics:Windows:Grace must not be negative.", "Analytics:Alerts:FlapRaises must be between 2 and 100."], options.Validate());
    }

    [Fact]
    public void DeviceAnalytics_InvalidOptions_ThrowsWithEveryMessage()
    {
        var options = new AnalyticsOptions { Windows = { Grace = TimeSpan.FromSeconds(-1) }, Rules = [Rule(name: "")] };

        var error = Assert.Throws<ArgumentException>(() => new DeviceAnalytics(options));

        Assert.Equal("options", error.ParamName);
        Assert.StartsWith("Analytics:Windows:Grace must not be negative. Analytics:Rules:0:Name must be 1-64 letters, digits, '-', '_' or '.'.", error.Message, StringComparison.Ordinal);
    }

    private static AnalyticsOptions Options(params RuleOptions[] rules) => new() { UseDefaultRules = false, Rules = [.. rules] };

    private static RuleOptions Rule(string name = "overheat", DetectorKind kind = DetectorKind.Threshold, AlertSeverity severity = AlertSeverity.Warning, List<string>? metrics = null, List<string>? devices = null) => new()
    {
        Name = name,
        Kind = kind,
        Severity = severity,
        Metrics = metrics ?? ["temperature"],
        Devices = devices ?? [],
        Threshold = new ThresholdOptions { RaiseAbove = 80, ClearBelow = 70 },
    };
}
