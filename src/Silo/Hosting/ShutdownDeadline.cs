namespace DeviceTwins.Silo.Hosting;

/// <summary>
/// Holds the silo to its configured shutdown time. The host's shutdown timeout cancels the stop, but Orleans keeps
/// retrying some stop stages (marking the silo dead in the membership table while Redis is down took two minutes);
/// once <see cref="Grace"/> past the timeout the process exits with code 3 and says why, before an orchestrator's
/// grace period ends in SIGKILL. Whatever was durable is safe: uncommitted records are read again by the next owner.
/// </summary>
public sealed partial class ShutdownDeadline(
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    TimeSpan shutdownTimeout,
    Action<int> exit,
    ILogger<ShutdownDeadline> logger) : IHostedService, IDisposable
{
    /// <summary>Exit code of a stop that overran its deadline.</summary>
    public const int OverrunExitCode = 3;

    /// <summary>Time allowed beyond the shutdown timeout for the host to finish before the process exits.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _stopped = new();
    private CancellationTokenRegistration _registration;

    /// <summary>Completes once the deadline fired and the exit was called (for tests); never otherwise.</summary>
    public Task Fired => _fired.Task;

    private readonly TaskCompletionSource _fired = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _registration = lifetime.ApplicationStopping.Register(() => _ = WatchAsync());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task WatchAsync()
    {
        var deadline = shutdownTimeout + Grace;
        try
        {
            await Task.Delay(deadline, time, _stopped.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        LogOverrun(logger, deadline);
        // Exit first: a test awaiting Fired then sees the exit code (in a real process Environment.Exit does not return).
        exit(OverrunExitCode);
        _fired.TrySetResult();
    }

    public void Dispose()
    {
        // Disposed with the host, that is once it stopped in time: the watch ends.
        _registration.Dispose();
        _stopped.Cancel();
        _stopped.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "The silo did not stop within {Deadline} (Silo:ShutdownTimeout and a grace); exiting now. Records not yet committed are read again by the next owner of their partitions")]
    private static partial void LogOverrun(ILogger logger, TimeSpan deadline);
}
