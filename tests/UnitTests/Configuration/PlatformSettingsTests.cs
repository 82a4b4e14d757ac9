using DeviceTwins.Silo.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace DeviceTwins.UnitTests.Configuration;

public sealed class PlatformSettingsTests
{
    [Fact]
    public void Load_Defaults_UseEmbeddedKafkaMemoryStateAndSimulator()
    {
        var settings = PlatformSettings.Load(Config());

        Assert.True(settings.Kafka.UseEmbedded);
        Assert.Equal(["iot.telemetry"], settings.Kafka.TelemetryTopicList);
        Assert.Equal("iot.telemetry.dlq", settings.Kafka.DeadLetterTopic);
        Assert.False(settings.Redis.IsConfigured);
        Assert.Equal("http://127.0.0.1:5080", settings.Api.Urls);
        Assert.True(settings.SimulatorEnabled);
    }

    [Fact]
    public void Load_ExternalKafka_TurnsSimulatorOffUnlessAsked()
    {
        var settings = PlatformSettings.Load(Config(("Kafka:BootstrapServers", "broker-1:9092,broker-2:9092"), ("Kafka:TelemetryTopics", "iot.sensor.us-east.temperature, iot.sensor.eu-west.temperature")));

        Assert.False(settings.Kafka.UseEmbedded);
        Assert.False(settings.SimulatorEnabled);
        Assert.Equal(["iot.sensor.us-east.temperature", "iot.sensor.eu-west.temperature"], settings.Kafka.TelemetryTopicList);
    }

    [Fact]
    public void Load_SiloSection_BindsShutdownTimeoutAndKubernetesSwitch()
    {
        var defaults = PlatformSettings.Load(Config());
        var configured = PlatformSettings.Load(Config(("Silo:ShutdownTimeout", "00:02:30"), ("Silo:KubernetesHosting", "false")));

        Assert.Equal(TimeSpan.FromSeconds(90), defaults.Silo.ShutdownTimeout);
        Assert.True(defaults.Silo.KubernetesHosting);
        Assert.Equal(TimeSpan.FromSeconds(150), configured.Silo.ShutdownTimeout);
        Assert.False(configured.Silo.KubernetesHosting);
    }

    [Theory]
    [InlineData("Kafka:BootstrapServers", "no-port", "Kafka:BootstrapServers")]
    [InlineData("Kafka:TelemetryTopics", "bad topic!", "Kafka:TelemetryTopics")]
    [InlineData("Kafka:DeadLetterTopic", "iot.telemetry", "must all be different")]
    [InlineData("Kafka:TelemetryPartitions", "0", "Kafka:TelemetryPartitions")]
    [InlineData("Kafka:TelemetryPartitions", "many", "Kafka:TelemetryPartitions")]
    [InlineData("Redis:ConnectionString", "host:notaport", "Redis:ConnectionString")]
    [InlineData("Api:Urls", "ftp://x", "Api:Urls")]
    [InlineData("Orleans:SiloPort", "70000", "Orleans:SiloPort")]
    [InlineData("Telemetry:MaxValueBytes", "1", "Telemetry:MaxValueBytes")]
    [InlineData("Simulator:Enabled", "perhaps", "Simulator:Enabled")]
    [InlineData("Silo:ShutdownTimeout", "00:00:00", "Silo:ShutdownTimeout")]
    [InlineData("Silo:ShutdownTimeout", "2.00:00:00", "Silo:ShutdownTimeout")]
    [InlineData("Silo:KubernetesHosting", "sometimes", "Silo:KubernetesHosting")]
    [InlineData("Twin:MaxDepth", "0", "Twin:MaxDepth")]
    [InlineData("Twin:MaxDocumentBytes", "lots", "Twin:MaxDocumentBytes")]
    [InlineData("Kafka:DesiredTopic", "iot.alerts", "must all be different")]
    [InlineData("Kafka:DesiredTopic", "bad topic!", "Kafka:DesiredTopic")]
    public void Load_BadValue_FailsNamingTheKey(string key, string value, string expected)
    {
        var exception = Assert.Throws<OptionsValidationException>(() => PlatformSettings.Load(Config((key, value))));

        Assert.Contains(exception.Failures, f => f.Contains(expected, StringComparison.Ordinal));
    }

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
