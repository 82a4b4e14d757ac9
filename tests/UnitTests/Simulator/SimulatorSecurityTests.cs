using Confluent.Kafka;
using DeviceTwins.Simulator;
using DeviceTwins.Streaming.Kafka.Hosting;

namespace DeviceTwins.UnitTests.Simulator;

public sealed class SimulatorSecurityTests
{
    [Fact]
    public void StandAlone_SecuritySection_BecomesTheProducersSettings_AHostsClientSettingsWin()
    {
        var options = new SimulatorOptions
        {
            BootstrapServers = "kafka:9093",
            Security = new KafkaSecurityOptions { Protocol = KafkaSecurityProtocol.SaslSsl, SaslMechanism = KafkaSaslMechanism.ScramSha512, Username = "simulator", Password = "s3cret" },
        };
        var settings = options.ProducerClientSettings();
        Assert.Equal(("sasl_ssl", "SCRAM-SHA-512", "simulator"), (settings["security.protocol"], settings["sasl.mechanism"], settings["sasl.username"]));
        var producer = FleetSimulator.ProducerSettings(options.BootstrapServers, settings);
        Assert.Equal((SecurityProtocol.SaslSsl, SaslMechanism.ScramSha512), (producer.SecurityProtocol, producer.SaslMechanism));

        options.ClientSettings["security.protocol"] = "plaintext";
        Assert.Equal("plaintext", options.ProducerClientSettings()["security.protocol"]);
    }

    [Fact]
    public void StandAlone_SaslWithoutCredentials_RefusedNamingTheSimulatorsKey()
    {
        var options = new SimulatorOptions { BootstrapServers = "kafka:9093", Security = new KafkaSecurityOptions { Protocol = KafkaSecurityProtocol.SaslSsl, SaslMechanism = KafkaSaslMechanism.ScramSha256 } };
        var result = new SimulatorOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith("Simulator:Security:", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Failures!, f => f.Contains("s3cret", StringComparison.Ordinal));
    }

    [Fact]
    public void StandAlone_OverMqttWithoutAnApiToIssueCredentials_RefusedNamingTheKeys()
    {
        var options = new SimulatorOptions { BootstrapServers = "kafka:9093", Transport = SimulatorTransport.Mqtt };
        var result = new SimulatorOptionsValidator().Validate(null, options);
        Assert.Contains(result.Failures!, f => f.StartsWith("Simulator:Transport Mqtt needs Simulator:ApiUrl and ApiKey", StringComparison.Ordinal));

        options.ApiUrl = "http://127.0.0.1:5080";
        options.ApiKey = "dt_key";
        Assert.True(new SimulatorOptionsValidator().Validate(null, options).Succeeded);
    }
}
