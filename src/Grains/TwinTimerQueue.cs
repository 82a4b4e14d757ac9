namespace DeviceTwins.Grains;

/// <summary>
/// The twin timers of one silo in one binary heap by due instant, on one timer of the twins'
/// <see cref="TimeProvider"/> set for the earliest. The runtime's own timer queue walks every timer about three times
/// a second to find those due soon: with 100,000 twins that walk was 4.5 % of the silo's CPU samples, and each timer
/// cost its twin about 120 bytes. Here arming is O(log n), a firing visits only the timers due, and a timer is the
/// twin's <see cref="TwinTimer"/> itself (its position and due instant).
/// </summary>
public sealed class TwinTimerQueue : IDisposable
{
    private readonly ITimer _timer;
    private readonly Lock _lock = new();
    private TwinTimer[] _heap = new TwinTimer[64];
    private int _count;
    private long _setFor = long.MaxValue; // the instant (UTC ticks) the timer is set for; MaxValue when it is not
    private bool _disposed;

    public TwinTimerQueue(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        Time = time;
        _timer = time.CreateTimer(static state => ((TwinTimerQueue)state!).Fire(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The clock the timers run on.</summary>
    public TimeProvider Time { get; }

    /// <summary>Timers armed and not yet fired.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            // Twins still deactivating during shutdown cancel their timers after this: their cancels only leave the heap.
            _disposed = true;
            _timer.Dispose();
        }
    }

    /// <summary>Arms <paramref name="timer"/> for <paramref name="dueTicks"/> (UTC ticks), replacing its earlier arming.</summary>
    internal void Schedule(TwinTimer timer, long dueTicks)
    {
        lock (_lock)
        {
            if (timer.HeapIndex < 0)
            {
                if (_count == _heap.Length)
                {
                    Array.Resize(ref _heap, _count * 2);
                }

                timer.HeapIndex = _count;
                _heap[_count++] = timer;
            }

            timer.DueTicks = dueTicks;
            SiftDown(SiftUp(timer.HeapIndex));
            SetTimer();
        }
    }

    /// <summary>Disarms <paramref name="timer"/>; nothing when it is not armed.</summary>
    internal void Cancel(TwinTimer timer)
    {
        lock (_lock)
        {
            if (timer.HeapIndex >= 0)
            {
                RemoveAt(timer.HeapIndex);
                SetTimer();
            }
        }
    }

    private void Fire()
    {
        List<TwinTimer>? due = null;
        lock (_lock)
        {
            var now = Time.GetUtcNow().UtcTicks;
            while (_count > 0 && _heap[0].DueTicks <= now)
            {
                (due ??= []).Add(_heap[0]);
                RemoveAt(0);
            }

            // Fired: whatever it was set for, set it again for the earliest left (a timer may fire a little early).
            _setFor = long.MaxValue;
            SetTimer();
        }

        if (due is not null)
        {
            foreach (var timer in due)
            {
                timer.Fire();
            }
        }
    }

    private void SetTimer()
    {
        var next = _count == 0 ? long.MaxValue : _heap[0].DueTicks;
        if (next == _setFor || _disposed)
        {
            return;
        }

        _setFor = next;
        if (next == long.MaxValue)
        {
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }

        // A later instant than the longest wait is reached by setting the timer again when it fires.
        var delay = Math.Clamp(next - Time.GetUtcNow().UtcTicks, 0, TwinTimer.MaxDelay.Ticks);
        _timer.Change(TimeSpan.FromTicks(delay), Timeout.InfiniteTimeSpan);
    }

    private void RemoveAt(int index)
    {
        var removed = _heap[index];
        removed.HeapIndex = -1;
        var last = --_count;
        if (index != last)
        {
            _heap[index] = _heap[last];
            _heap[index].HeapIndex = index;
            _heap[last] = null!;
            SiftDown(SiftUp(index));
        }
        else
        {
            _heap[last] = null!;
        }
    }

    private int SiftUp(int index)
    {
        var timer = _heap[index];
        while (index > 0)
        {
            var parent = (index - 1) / 2;
            if (_heap[parent].DueTicks <= timer.DueTicks)
            {
                break;
            }

            Place(_heap[parent], index);
            index = parent;
        }

        Place(timer, index);
        return index;
    }

    private void SiftDown(int index)
    {
        var timer = _heap[index];
        while (true)
        {
            var child = (2 * index) + 1;
            if (child >= _count)
            {
                break;
            }

            if (child + 1 < _count && _heap[child + 1].DueTicks < _heap[child].DueTicks)
            {
                child++;
            }

            if (timer.DueTicks <= _heap[child].DueTicks)
            {
                break;
            }

            Place(_heap[child], index);
            index = child;
        }

        Place(timer, index);
    }

    private void Place(TwinTimer timer, int index)
    {
        _heap[index] = timer;
        timer.HeapIndex = index;
    }
}
