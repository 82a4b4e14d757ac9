using DeviceTwins.Grains;
using DeviceTwins.Grains.Interfaces;
using DeviceTwins.Grains.Wake;
using DeviceTwins.Streaming.Kafka.Providers;
using Microsoft.Extensions.Options;

namespace DeviceTwins.Silo.Hosting;

/// <summary>
/// Asks every shard of the wake index to sweep, every <see cref="TwinWakeOptions.SweepInterval"/> of the twins' clock.
/// Every silo does, so the sweep goes on while any silo lives; a shard sweeps once per interval however often it is asked.
/// Each request carries how many of the telemetry partitions this silo reads caught up, so a shard sweeps only while
/// every partition is read and caught up somewhere.
/// </summary>
public sealed partial class TwinWakeService(
    IGrainFactory grains,
    [FromKeyedServices(TwinClock.Key)] TimeProvider time,
    IOptions<TwinWakeOptions> options,
    ILocalSiloDetails silo,
    IServiceProvider services,
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

            var intake = services.GetService<KafkaStreamingMetrics>()?.IntakeStatus() ?? default;
            await Task.WhenAll(Enumerable.Range(0, settings.Shards).Select(shard => SweepAsync(shard, intake))).ConfigureAwait(false);
        }
    }

    private async Task SweepAsync(int shard, KafkaIntakeStatus intake)
    {
        try
        {
            await grains.GetGrainByKey<ITwinWakeGrain>(shard).SweepAsync(silo.SiloAddress.ToString(), intake.CaughtUp, intake.Total).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            LogSweepFailed(exception, shard);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Wake shard {Shard} could not sweep; the next interval tries again")]
    private partial void LogSweepFailed(Exception exception, int shard);
}
