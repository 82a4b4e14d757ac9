using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace DeviceTwins.Mqtt;

/// <summary>Healthy when the bridge's listeners are open and the Kafka cluster answers a metadata request within two seconds.</summary>
public sealed class BridgeHealthCheck(MqttBridge bridge, IOptions<MqttBridgeOptions> options, IReadOnlyDictionary<string, string> clientSettings) : IHealthCheck, IDisposable
{
    private readonly Lazy<IAdminClient> _admin = new(() => new AdminClientBuilder(new AdminClientConfig(clientSettings.ToDictionary()) { BootstrapServers = options.Value.BootstrapServers })
        .SetLogHandler((_, _) => { })
        .Build());

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (bridge.Port is null && bridge.TlsPort is null)
        {
            return HealthCheckResult.Unhealthy("the MQTT listeners are not open");
        }

        try
        {
            var metadata = await Task.Run(() => _admin.Value.GetMetadata(TimeSpan.FromSeconds(2)), cancellationToken).ConfigureAwait(false);
            return metadata.Brokers.Count > 0 ? HealthCheckResult.Healthy($"{metadata.Brokers.Count} broker(s)") : HealthCheckResult.Unhealthy("no brokers");
        }
        catch (KafkaException exception)
        {
            return HealthCheckResult.Unhealthy("Kafka unreachable: " + exception.Error.Reason);
        }
    }

    public void Dispose()
    {
        if (_admin.IsValueCreated)
        {
            _admin.Value.Dispose();
        }
    }
}
