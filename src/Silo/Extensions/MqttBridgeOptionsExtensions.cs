using DeviceTwins.Mqtt;
using DeviceTwins.Silo.Configuration;

namespace DeviceTwins.Silo.Extensions;

/// <summary>Points an MQTT bridge at the platform's own Kafka cluster and topics.</summary>
public static class MqttBridgeOptionsExtensions
{
    /// <summary>Sets the bridge's bootstrap servers and topics from <paramref name="kafka"/> (the first telemetry topic).</summary>
    public static void UsePlatformKafka(this MqttBridgeOptions options, KafkaOptions kafka, string bootstrapServers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(kafka);
        options.BootstrapServers = bootstrapServers;
        options.TelemetryTopic = kafka.TelemetryTopicList[0];
        options.CommandsTopic = kafka.CommandsTopic;
        options.DeadLetterTopic = kafka.DeadLetterTopic;
    }
}
