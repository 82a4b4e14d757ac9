using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DeviceTwins.Api.Health;

/// <summary>Unhealthy from the moment shutdown begins, so a load balancer stops routing here before the process goes.</summary>
public sealed class ShutdownHealthCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested
            ? HealthCheckResult.Unhealthy("shutting down")
            : HealthCheckResult.Healthy("running"));
}
