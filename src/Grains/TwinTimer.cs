using DeviceTwins.Grains.Twin;

namespace DeviceTwins.Grains;

/// <summary>
/// One twin's processing-time timer on the twins' <see cref="TimeProvider"/>: when it fires, it runs the tick (the
/// twin's grain call through the silo's tick gate, so the work runs as an ordinary turn of the grain). A tick that does
/// not complete (the call is lost, times out or its activation fails) is fired again after a backoff, so due work is
/// never left waiting for an instant that has passed.
/// </summary>
public sealed class TwinTimer : IDisposable
{
    private readonly TimeProvider _time;
    private readonly Func<Task> _tick;
    private readonly ITimer _timer;
    private RetryBackoff? _backoff; // made on the first failure: most twins never need one
    private DateTimeOffset? _armedFor;

    /// <summary>Longest single wait; a later due time is reached by re-arming when it fires (timers cap their period).</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromDays(1);

    public TwinTimer(TimeProvider time, Func<Task> tick)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(tick);
        _time = time;
        _tick = tick;
        _timer = time.CreateTimer(static state => _ = ((TwinTimer)state!).FireAsync(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Ticks that did not complete and were fired again.</summary>
    public int Retries { get; private set; }

    /// <summary>Fires once at <paramref name="at"/> (at once when past), replacing any earlier arming; null disarms.</summary>
    public void Arm(DateTimeOffset? at)
    {
        if (at == _armedFor)
        {
            return;
        }

        _armedFor = at;
        if (at is not { } due)
        {
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }

        // A system timer may fire up to a millisecond early; the tick then finds nothing due and arms again (see Fired).
        var delay = due - _time.GetUtcNow();
        _timer.Change(delay < TimeSpan.Zero ? TimeSpan.Zero : delay > MaxDelay ? MaxDelay : delay, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Marks the timer as fired (called from the twin's turn), so the next arming takes effect even for the same instant.</summary>
    public void Fired() => _armedFor = null;

    public void Dispose() => _timer.Dispose();

    private async Task FireAsync()
    {
        try
        {
            await _tick().ConfigureAwait(false);
            _backoff?.Succeeded();
        }
        catch (Exception)
        {
            // The tick never ran its turn, so nothing re-armed the timer: fire again (the twin logs its own failures).
            Retries++;
            _armedFor = null;
            _backoff ??= new RetryBackoff();
            Arm(_time.GetUtcNow() + _backoff.Failed());
        }
    }
}
