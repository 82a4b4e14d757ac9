using DeviceTwins.Grains.Twin;

namespace DeviceTwins.Grains;

/// <summary>
/// One twin's processing-time timer, in its silo's <see cref="TwinTimerQueue"/>: when it fires, it runs the tick (the
/// twin's grain call through the silo's tick gate, so the work runs as an ordinary turn of the grain). A tick that does
/// not complete (the call is lost, times out or its activation fails) is fired again after a backoff, so due work is
/// never left waiting for an instant that has passed.
/// </summary>
public sealed class TwinTimer : IDisposable
{
    private readonly TwinTimerQueue _queue;
    private readonly Func<object, Task> _tick;
    private readonly object _state;
    private readonly bool _ownsQueue;
    private RetryBackoff? _backoff; // made on the first failure: most twins never need one
    private DateTimeOffset? _armedFor;

    /// <summary>Longest single wait of the queue's timer; a later due time is reached by setting it again when it fires.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromDays(1);

    /// <summary>A timer in the silo's queue.</summary>
    public TwinTimer(TwinTimerQueue queue, Func<Task> tick)
        : this(queue, static tick => ((Func<Task>)tick)(), tick, ownsQueue: false)
    {
    }

    /// <summary>
    /// A timer in the silo's queue that calls <paramref name="tick"/> with <paramref name="state"/>: with a static
    /// <paramref name="tick"/>, no delegate or closure of its own per timer (a twin's timer lives as long as the twin).
    /// </summary>
    public TwinTimer(TwinTimerQueue queue, Func<object, Task> tick, object state)
        : this(queue, tick, state, ownsQueue: false)
    {
    }

    /// <summary>A timer alone in a queue of its own on <paramref name="time"/>.</summary>
    public TwinTimer(TimeProvider time, Func<Task> tick)
        : this(new TwinTimerQueue(time), static tick => ((Func<Task>)tick)(), tick, ownsQueue: true)
    {
    }

    private TwinTimer(TwinTimerQueue queue, Func<object, Task> tick, object state, bool ownsQueue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(tick);
        ArgumentNullException.ThrowIfNull(state);
        _queue = queue;
        _tick = tick;
        _state = state;
        _ownsQueue = ownsQueue;
    }

    /// <summary>Ticks that did not complete and were fired again.</summary>
    public int Retries { get; private set; }

    // The queue's bookkeeping, under its lock: the position in its heap (-1 when not armed) and the due instant.
    internal int HeapIndex { get; set; } = -1;

    internal long DueTicks { get; set; }

    /// <summary>Fires once at <paramref name="at"/> (at once when past), replacing any earlier arming; null disarms.</summary>
    public void Arm(DateTimeOffset? at)
    {
        if (at == _armedFor)
        {
            return;
        }

        _armedFor = at;
        if (at is { } due)
        {
            _queue.Schedule(this, due.UtcTicks);
        }
        else
        {
            _queue.Cancel(this);
        }
    }

    /// <summary>Marks the timer as fired (called from the twin's turn), so the next arming takes effect even for the same instant.</summary>
    public void Fired() => _armedFor = null;

    public void Dispose()
    {
        _queue.Cancel(this);
        if (_ownsQueue)
        {
            _queue.Dispose();
        }
    }

    internal void Fire() => _ = FireAsync();

    private async Task FireAsync()
    {
        try
        {
            await _tick(_state).ConfigureAwait(false);
            _backoff?.Succeeded();
        }
        catch (Exception)
        {
            // The tick never ran its turn, so nothing re-armed the timer: fire again (the twin logs its own failures).
            Retries++;
            _armedFor = null;
            _backoff ??= new RetryBackoff();
            Arm(_queue.Time.GetUtcNow() + _backoff.Failed());
        }
    }
}
