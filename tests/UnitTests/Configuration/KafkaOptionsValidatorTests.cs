using DeviceTwins.Silo.Configuration;

namespace DeviceTwins.UnitTests.Configuration;

public sealed class KafkaOptionsValidatorTests
{
    [Theory]
    [InlineData("http://127.0.0.1:0")]
    [InlineData("http://127.0.0.1:7070")]
    [InlineData("http://[::1]:0")]
    [InlineData("http://localhost:7070")]
    [InlineData("http://127.0.0.1:0;http://[::1]:0")]
    public void Validate_LoopbackControlUrl_Succeeds(string urls)
    {
        var result = new KafkaOptionsValidator().Validate(null, new KafkaOptions { EmbeddedControlUrls = urls });

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Theory]
    [InlineData("http://0.0.0.0:7070", "loopback")]
    [InlineData("http://10.1.2.3:7070", "loopback")]
    [InlineData("http://example.com:7070", "loopback")]
    [InlineData("http://*:7070", "invalid URL")]
    [InlineData("https://127.0.0.1:7070", "invalid URL")]
    [InlineData("http://127.0.0.1:7070/control", "invalid URL")]
    [InlineData("http://localhost:0", "port 0")]
    [InlineData("", "required")]
    public void Validate_ControlUrlNotLoopback_FailsNamingTheKey(string urls, string reason)
    {
        var result = new KafkaOptionsValidator().Validate(null, new KafkaOptions { EmbeddedControlUrls = urls });

        var failure = Assert.Single(result.Failures!);
        Assert.Contains("Kafka:EmbeddedControlUrls", failure, StringComparison.Ordinal);
        Assert.Contains(reason, failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("00:00:00", false)]
    [InlineData("00:00:00.001", true)]
    [InlineData("00:00:01", true)]
    [InlineData("00:00:01.001", false)]
    public void Validate_ReadPeriod_BetweenAMillisecondAndASecond(string period, bool valid)
    {
        var result = new KafkaOptionsValidator().Validate(null, new KafkaOptions { ReadPeriod = TimeSpan.Parse(period, System.Globalization.CultureInfo.InvariantCulture) });

        Assert.Equal(valid ? [] : ["Kafka:ReadPeriod must be between 00:00:00.001 and 00:00:01."], result.Failures ?? []);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("00:00:31")]
    public void Validate_FetchWaitMaxOutOfRange_FailsNamingTheKey(string wait)
    {
        var result = new KafkaOptionsValidator().Validate(null, new KafkaOptions { FetchWaitMax = TimeSpan.Parse(wait, System.Globalization.CultureInfo.InvariantCulture) });

        var failure = Assert.Single(result.Failures!);
        Assert.Contains("Kafka:FetchWaitMax", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void EffectiveFetchWaitMax_Unset_ShortForTheEmbeddedCluster_LibrdkafkasDefaultOtherwise_SetWinsForBoth()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(10), new KafkaOptions().EffectiveFetchWaitMax(embeddedCluster: true));
        Assert.Equal(TimeSpan.FromMilliseconds(500), new KafkaOptions().EffectiveFetchWaitMax(embeddedCluster: false));
        Assert.Equal(TimeSpan.FromMilliseconds(50), new KafkaOptions { FetchWaitMax = TimeSpan.FromMilliseconds(50) }.EffectiveFetchWaitMax(embeddedCluster: true));
        Assert.True(new KafkaOptionsValidator().Validate(null, new KafkaOptions { FetchWaitMax = TimeSpan.FromMilliseconds(50) }).Succeeded);
    }

    [Theory]
    [InlineData(0, "00:05:00", "Kafka:SiloNewStreamCapacity")]
    [InlineData(1_000_001, "00:05:00", "Kafka:SiloNewStreamCapacity")]
    [InlineData(4096, "00:00:00.500", "Kafka:StreamInactivityPeriod")]
    [InlineData(4096, "1.00:00:01", "Kafka:StreamInactivityPeriod")]
    public void Validate_StreamBoundsOutOfRange_FailsNamingTheKey(int newStreams, string inactivity, string key)
    {
        var options = new KafkaOptions { SiloNewStreamCapacity = newStreams, StreamInactivityPeriod = TimeSpan.Parse(inactivity, System.Globalization.CultureInfo.InvariantCulture) };

        var failure = Assert.Single(new KafkaOptionsValidator().Validate(null, options).Failures!);
        Assert.Contains(key, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_NewStreamBudgetAndInactivity_AreValid()
    {
        var options = new KafkaOptions();

        Assert.Equal((4096, TimeSpan.FromMinutes(5)), (options.SiloNewStreamCapacity, options.StreamInactivityPeriod));
        Assert.True(new KafkaOptionsValidator().Validate(null, options).Succeeded);
    }
}
