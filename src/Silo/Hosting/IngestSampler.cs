using DeviceTwins.Grains;
using DeviceTwins.Grains.Diagnostics;
using DeviceTwins.Grains.Ingest;
using DeviceTwins.Grains.Interfaces;
using DeviceTwins.Grains.Interfaces.Models;
using DeviceTwins.Streaming.Kafka.Providers;

namespace DeviceTwins.Silo.Hosting;

/// <summary>
/// Sends the platform's intake figures (<see cref="IIngestStatsGrain"/>) this silo's records applied so far and its
/// consumer lag every <see cref="IngestStatsGrain.SampleInterval"/>, from the moment the silo is active: one small grain
/// call per silo per interval, nothing on a twin's turn.
/// </summary>
public sealed partial class IngestSampler(
    IGrainFactory grains,
    ILocalSiloDetails silo,
    TwinMetrics twins,
    IServiceProvider services,
    [FromKeyedServices(TwinClock.Key)] TimeProvider time,
    ILogger<IngestSampler> logger) : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private ITimer? _timer;

    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe(nameof(IngestSampler), ServiceLifecycleStage.Active, Start, Stop);
    }

    /// <summary>Sends one sample now.</summary>
    public async Task SampleAsync()
    {
        var lag = services.GetService<KafkaStreamingMetrics>()?.TotalLag() ?? 0;
        var sample = new IngestSample(silo.SiloAddress.ToParsableString(), time.GetUtcNow(), twins.AppliedTotal, lag);
        try
        {
            await grains.GetGrain<IIngestStatsGrain>(0).ReportAsync(sample).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // Figures for people: the next sample makes up for a lost one.
            LogSampleFailed(exception);
        }
    }

    public void Dispose() => _timer?.Dispose();

    private Task Start(CancellationToken cancellationToken)
    {
        _timer = time.CreateTimer(_ => _ = SampleAsync(), null, TimeSpan.Zero, IngestStatsGrain.SampleInterval);
        return Task.CompletedTask;
    }

    private Task Stop(CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "The intake sample could not be sent; the next one follows")]
    private partial void LogSampleFailed(Exception exception);
}
