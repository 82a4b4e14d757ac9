using DeviceTwins.Grains.Index;

namespace DeviceTwins.Silo.Hosting;

/// <summary>
/// Starts this silo's fleet index reporter once the silo is active (a send before that finds no silo hosting the shards,
/// which a busy machine showed as a burst of placement failures at start). Sends the fleet index the summaries the
/// reporter holds when the silo stops gracefully: once before its twins
/// are deactivated, and once after (their last writes report too), while grain calls still go through. What a stop
/// still misses (a send that fails) is in the twins' stored summaries, which the shards read back once this silo's
/// reporter falls silent.
/// </summary>
public sealed partial class DeviceIndexReporterLifecycle(DeviceIndexReporter reporter, ILogger<DeviceIndexReporterLifecycle> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        // Stages stop in reverse order: BecomeActive's stop deactivates every grain of the silo.
        lifecycle.Subscribe(nameof(DeviceIndexReporterLifecycle) + ".before", ServiceLifecycleStage.BecomeActive + 1, _ => Task.CompletedTask, FlushAsync);
        lifecycle.Subscribe(nameof(DeviceIndexReporterLifecycle) + ".after", ServiceLifecycleStage.BecomeActive - 1, _ => Task.CompletedTask, FlushAsync);
        lifecycle.Subscribe(nameof(DeviceIndexReporterLifecycle) + ".start", ServiceLifecycleStage.Active, Start, _ => Task.CompletedTask);
    }

    private Task Start(CancellationToken cancellationToken)
    {
        reporter.Start();
        return Task.CompletedTask;
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        try
        {
            await reporter.FlushAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            LogFlushFailed(exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The fleet index summaries could not all be sent on shutdown; the index shards read them back from the twin store")]
    private partial void LogFlushFailed(Exception exception);
}
