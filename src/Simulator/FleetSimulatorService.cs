using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DeviceTwins.Simulator;

/// <summary>Runs the <see cref="FleetSimulator"/> inside a host.</summary>
public sealed class FleetSimulatorService(IOptions<SimulatorOptions> options, TimeProvider time, ILoggerFactory loggerFactory) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        new FleetSimulator(options.Value, time, loggerFactory.CreateLogger<FleetSimulator>()).RunAsync(stoppingToken);
}
