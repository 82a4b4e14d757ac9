namespace DeviceTwins.Silo.Storage;

/// <summary>
/// Group commit (plain C#): at most one wait in flight. A caller that joins while one is in flight (issued before it
/// came, so not covering its write) joins the next round, which starts when that one ends and covers everyone joined.
/// </summary>
public sealed class WaitRounds
{
    private readonly Lock _lock = new();
    private bool _running;
    private TaskCompletionSource<long>? _next;

    /// <summary>The result of the first round started after this call: a new one, or the next when one is in flight.</summary>
    public Task<long> JoinAsync(Func<Task<long>> wait)
    {
        TaskCompletionSource<long> round;
        lock (_lock)
        {
            if (_running)
            {
                return (_next ??= new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }

            _running = true;
            round = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        _ = RunAsync(wait, round);
        return round.Task;
    }

    // Runs rounds until none is waiting: each round's WAIT is issued after every write that joined it.
    private async Task RunAsync(Func<Task<long>> wait, TaskCompletionSource<long> round)
    {
        while (true)
        {
            try
            {
                round.TrySetResult(await wait().ConfigureAwait(false));
            }
            catch (Exception exception)
            {
                round.TrySetException(exception);
            }

            lock (_lock)
            {
                if (_next is null)
                {
                    _running = false;
                    return;
                }

                round = _next;
                _next = null;
            }
        }
    }
}
