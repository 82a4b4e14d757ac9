using DeviceTwins.Grains.Index;

namespace DeviceTwins.Silo.Hosting;

/// <summary>
/// Sends the fleet index the summaries this silo's reporter holds when the silo stops gracefully: once before its twins
/// are deactivated, and once after (their last writes report too), while grain calls still go through. What a stop
/// still misses (a send that fails) is in the twins' stored summaries, which the shards read back once this silo's
/// reporter falls silent.
/// </summary>
public sealed partial class DeviceIndexFlushOnStop(DeviceIndexReporter reporter, ILogger<DeviceIndexFlushOnStop> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        // Stages stop in reverse order: BecomeActive's stop deactivates every grain of the silo.
        lifecycle.Subscribe(nameof(DeviceIndexFlushOnStop) + ".before", ServiceLifecycleStage.BecomeActive + 1, _ => Task.CompletedTask, FlushAsync);
        lifecycle.Subscribe(nameof(DeviceIndexFlushOnStop) + ".after", ServiceLifecycleStage.BecomeActive - 1, _ => Task.CompletedTask, FlushAsync);
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
