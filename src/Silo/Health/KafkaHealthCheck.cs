using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DeviceTwins.Silo.Health;

/// <summary>Healthy when the Kafka cluster answers a metadata request within two seconds.</summary>
public sealed class KafkaHealthCheck(string bootstrapServers, IReadOnlyDictionary<string, string> clientSettings) : IHealthCheck, IDisposable
{
    private readonly Lazy<IAdminClient> _admin = new(() => new AdminClientBuilder(new AdminClientConfig(clientSettings.ToDictionary(p => p.Key, p => p.Value)) { BootstrapServers = bootstrapServers })
        .SetLogHandler((_, _) => { })
        .Build());

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var metadata = await Task.Run(() => _admin.Value.GetMetadata(TimeSpan.FromSeconds(2)), cancellationToken).ConfigureAwait(false);
            return metadata.Brokers.Count > 0
                ? HealthCheckResult.Healthy($"{metadata.Brokers.Count} broker(s)")
                : HealthCheckResult.Unhealthy("no brokers");
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
