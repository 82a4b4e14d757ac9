using DeviceTwins.Grains.Interfaces;

namespace DeviceTwins.Grains;

/// <summary>
/// One twin's processing-time timer on the twins' <see cref="TimeProvider"/>: when it fires, the twin is called
/// (through its grain reference, so the work runs as an ordinary turn of the grain) to do what has come due.
/// </summary>
internal sealed class TwinTimer : IDisposable
{
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private DateTimeOffset? _armedFor;

    /// <summary>Longest single wait; a later due time is reached by re-arming when it fires (timers cap their period).</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromDays(1);

    public TwinTimer(TimeProvider time, IDeviceTwinGrain twin, TwinTickGate gate)
    {
        _time = time;
        _timer = time.CreateTimer(static state => ((Func<Task>)state!)().Ignore(), (Func<Task>)(() => gate.RunAsync(twin.TickAsync)), Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

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
}
