namespace DeviceTwins.Grains.Twin;

/// <summary>
/// Publishes a twin's outbox outside the twin's turns: one batch in flight at a time, so a device's outputs leave in
/// order, the next batch taken as soon as one is acknowledged, and after a failure a retry once the backoff
/// (1 s doubling to 30 s) is over. The outbox itself (what is pending, what is durable) belongs to its
/// <paramref name="owner"/>. Plain C#: the grain runs it on its own scheduler, where every callback runs between its
/// turns. One per twin, so it holds no delegates and drops its finished task.
/// </summary>
public sealed class TwinOutbox<TBatch>(TimeProvider time, IOutboxOwner<TBatch> owner)
    where TBatch : class
{
    private RetryBackoff? _backoff; // made on the first failed publication: most outboxes never need one
    private Task _current = Task.CompletedTask;
    private bool _publishing;

    /// <summary>Whether a batch is being published.</summary>
    public bool IsPublishing => _publishing;

    /// <summary>When a failed batch is tried again; null while publishing succeeds.</summary>
    public DateTimeOffset? RetryAt { get; private set; }

    /// <summary>Completes when the batch in flight (and those taken after it) has been published or has failed.</summary>
    public Task Idle => _current;

    /// <summary>Starts publishing the next batch, unless one is in flight or a retry is not yet due.</summary>
    public void Kick()
    {
        if (_publishing || (RetryAt is { } retry && time.GetUtcNow() < retry) || owner.Take() is not { } batch)
        {
            return;
        }

        _publishing = true;
        var run = RunAsync(batch);
        if (!run.IsCompleted)
        {
            // A batch published synchronously has already kicked (and recorded) the next one itself.
            _current = run;
        }
    }

    private async Task RunAsync(TBatch batch)
    {
        try
        {
            await owner.PublishAsync(batch);
        }
        catch (Exception exception)
        {
            _publishing = false;
            var delay = (_backoff ??= new RetryBackoff()).Failed();
            RetryAt = time.GetUtcNow() + delay;
            owner.Failed(batch, exception, delay);
            Release();
            return;
        }

        _publishing = false;
        RetryAt = null;
        _backoff?.Succeeded();
        owner.Published(batch);
        Kick();
        Release();
    }

    // Once nothing is in flight, the finished task (and its state machine) need not stay referenced by every twin.
    private void Release()
    {
        if (!_publishing)
        {
            _current = Task.CompletedTask;
        }
    }
}
