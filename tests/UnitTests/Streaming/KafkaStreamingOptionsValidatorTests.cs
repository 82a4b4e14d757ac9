using DeviceTwins.Streaming.Kafka.Hosting;

namespace DeviceTwins.UnitTests.Streaming;

public sealed class KafkaStreamingOptionsValidatorTests
{
    [Fact]
    public void Validate_Complete_Succeeds()
    {
        Assert.True(new KafkaStreamingOptionsValidator().Validate("telemetry", Complete()).Succeeded);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(1_000, true)]
    [InlineData(1_001, false)]
    public void Validate_ReadPeriod_BetweenAMillisecondAndASecond(int milliseconds, bool valid)
    {
        var options = Complete();
        options.ReadPeriod = TimeSpan.FromMilliseconds(milliseconds);

        var result = new KafkaStreamingOptionsValidator().Validate("telemetry", options);

        Assert.Equal(valid ? [] : ["Kafka stream provider 'telemetry': ReadPeriod must be between 1 ms and 1 s."], result.Failures ?? []);
    }

    private static KafkaStreamingOptions Complete() => new()
    {
        BootstrapServers = "127.0.0.1:9092",
        Topics = ["iot.telemetry"],
        DeadLetterTopic = "iot.telemetry.dlq",
    };
}
