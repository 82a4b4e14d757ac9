using System.Globalization;
using System.Text;
using Confluent.Kafka;
using DeviceTwins.Streaming.Kafka.Publishing;

namespace DeviceTwins.Mqtt;

/// <summary>
/// The bridge's one producer (idempotent, acks=all, no linger): a device's records are keyed by its id, so they stay in
/// order on one partition, and a publish is acknowledged to the device only once Kafka acknowledged its record.
/// </summary>
public sealed class BridgeProducer : IDisposable
{
    private readonly IProducer<byte[], byte[]> _producer;
    private readonly MqttBridgeOptions _options;

    public BridgeProducer(MqttBridgeOptions options, IReadOnlyDictionary<string, string> clientSettings)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clientSettings);
        _options = options;
        _producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig(clientSettings.ToDictionary())
        {
            BootstrapServers = options.BootstrapServers,
            EnableIdempotence = true,
            Acks = Acks.All,
            LingerMs = 0,
            AllowAutoCreateTopics = false,
            // Bounded wait: past it the device is told the publish failed, and re-sends.
            MessageTimeoutMs = (int)options.ProduceTimeout.TotalMilliseconds,
        }).SetLogHandler((_, _) => { }).Build();
    }

    /// <summary>Produces a record of <paramref name="deviceId"/> to the telemetry topic; completes when Kafka acknowledged it.</summary>
    public Task ProduceAsync(string deviceId, byte[] value, CancellationToken cancellationToken) =>
        _producer.ProduceAsync(_options.TelemetryTopic, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(deviceId), Value = value }, cancellationToken);

    /// <summary>Puts a refused publish on the dead-letter topic with the reason and the MQTT topic it came on.</summary>
    public Task DeadLetterAsync(string deviceId, string mqttTopic, byte[] value, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var headers = new Headers
        {
            { DeadLetterHeaders.Reason, Encoding.UTF8.GetBytes(reason) },
            { DeadLetterHeaders.Topic, Encoding.UTF8.GetBytes("mqtt:" + mqttTopic) },
            { DeadLetterHeaders.Timestamp, Encoding.ASCII.GetBytes(now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)) },
        };
        // A payload too large for the dead-letter topic keeps its reason and loses its bytes.
        var kept = value.Length <= KafkaDeadLetterPublisher.MaxMessageBytes ? value : [];
        return _producer.ProduceAsync(_options.DeadLetterTopic, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(deviceId), Value = kept, Headers = headers }, cancellationToken);
    }

    public void Dispose()
    {
        _producer.Flush(TimeSpan.FromSeconds(10));
        _producer.Dispose();
    }
}
