using DeviceTwins.Api.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace DeviceTwins.UnitTests.Health;

/// <summary>/health/ready turns unhealthy the moment shutdown begins, before the silo has left the cluster.</summary>
public sealed class ShutdownHealthCheckTests
{
    [Fact]
    public async Task CheckHealth_BeforeAndAfterStopping_HealthyThenUnhealthy()
    {
        var lifetime = new Lifetime();
        var check = new ShutdownHealthCheck(lifetime);
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);

        lifetime.StopApplication();

        var result = await check.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Equal("shutting down", result.Description);
    }

    private sealed class Lifetime : IHostApplicationLifetime, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new();

        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => _stopping.Token;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => _stopping.Cancel();

        public void Dispose() => _stopping.Dispose();
    }
}
