using DeviceTwins.Grains;
using DeviceTwins.Grains.Interfaces;
using DeviceTwins.Grains.Wake;
using Microsoft.Extensions.Options;

namespace DeviceTwins.Silo.Hosting;

/// <summary>
/// Asks every shard of the wake index to sweep, every <see cref="TwinWakeOptions.SweepInterval"/> of the twins' clock.
/// Every silo does, so the sweep goes on while any silo lives; a shard sweeps once per interval however often it is asked.
/// </summary>
public sealed partial class TwinWakeService(
    IGrainFactory grains,
    [FromKeyedServices(TwinClock.Key)] TimeProvider time,
    IOptions<TwinWakeOptions> options,
    ILogger<TwinWakeService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(settings.SweepInterval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await Task.WhenAll(Enumerable.Range(0, settings.Shards).Select(SweepAsync)).ConfigureAwait(false);
        }
    }

    private async Task SweepAsync(int shard)
    {
        try
        {
            await grains.GetGrain<ITwinWakeGrain>(shard).SweepAsync().ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            LogSweepFailed(exception, shard);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Wake shard {Shard} could not sweep; the next interval tries again")]
    private partial void LogSweepFailed(Exception exception, int shard);
}
