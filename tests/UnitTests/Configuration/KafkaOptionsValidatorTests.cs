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
}
