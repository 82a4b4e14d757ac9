using DeviceTwins.Api.Configuration;

namespace DeviceTwins.UnitTests.Configuration;

public sealed class AlertStreamOptionsValidatorTests
{
    [Theory]
    [InlineData("", "iot.alerts")]
    [InlineData("127.0.0.1:9092", "iot.alerts")]
    [InlineData("kafka-0.kafka:9092, kafka-1.kafka:9092", "alerts_v2-eu")]
    public void Validate_Valid_Succeeds(string servers, string topic)
    {
        Assert.True(new AlertStreamOptionsValidator().Validate(null, new AlertStreamOptions { BootstrapServers = servers, AlertsTopic = topic }).Succeeded);
    }

    [Theory]
    [InlineData("127.0.0.1:9092", "", "Kafka:AlertsTopic must be a Kafka topic name: 1-249 letters, digits, '.', '_' or '-'.")]
    [InlineData("127.0.0.1:9092", "iot alerts", "Kafka:AlertsTopic must be a Kafka topic name: 1-249 letters, digits, '.', '_' or '-'.")]
    [InlineData("localhost", "iot.alerts", "Kafka:BootstrapServers has an invalid server 'localhost' (expected host:port).")]
    [InlineData("127.0.0.1:9092,host:0", "iot.alerts", "Kafka:BootstrapServers has an invalid server 'host:0' (expected host:port).")]
    public void Validate_Invalid_NamesTheKey(string servers, string topic, string failure)
    {
        var result = new AlertStreamOptionsValidator().Validate(null, new AlertStreamOptions { BootstrapServers = servers, AlertsTopic = topic });

        Assert.Equal([failure], result.Failures!);
    }
}
