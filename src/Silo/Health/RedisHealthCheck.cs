using DeviceTwins.Silo.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace DeviceTwins.Silo.Health;

/// <summary>Healthy when Redis answers a PING and the twin store's <see cref="TwinStoreCircuit"/>, if any, is closed.</summary>
public sealed class RedisHealthCheck(string connectionString, TwinStoreCircuit? circuit = null) : IHealthCheck, IDisposable
{
    private readonly Lazy<Task<ConnectionMultiplexer>> _connection = new(() => Connect(connectionString));

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (circuit?.Outage is { } outage)
        {
            // The store's own operations fail at once until a probe succeeds, whatever this connection sees.
            return HealthCheckResult.Unhealthy($"twin store circuit open since {outage.Since:O} ({outage.Reason})");
        }

        try
        {
            var connection = await _connection.Value.ConfigureAwait(false);
            var latency = await connection.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"PING {latency.TotalMilliseconds:F1} ms");
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("Redis unreachable: " + exception.Message);
        }
    }

    public void Dispose()
    {
        if (_connection.IsValueCreated && _connection.Value.IsCompletedSuccessfully)
        {
            _connection.Value.Result.Dispose();
        }
    }

    private static Task<ConnectionMultiplexer> Connect(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        return ConnectionMultiplexer.ConnectAsync(options);
    }
}
