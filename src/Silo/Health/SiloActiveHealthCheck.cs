using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;

namespace DeviceTwins.Silo.Health;

/// <summary>Healthy once this silo has joined the cluster and is active; unhealthy while it joins or leaves.</summary>
public sealed class SiloActiveHealthCheck(ISiloStatusOracle silo) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = silo.CurrentStatus;
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy("silo active")
            : HealthCheckResult.Unhealthy($"silo {status}"));
    }
}
