namespace DeviceTwins.Api.Changes;

/// <summary>
/// The shared side of the alert streams: what the process's one reader of the alerts topic has read, kept for a while
/// per partition so a reconnecting stream resumes from it, and handed to every attached stream. Plain C#, no Kafka: the
/// reader (<see cref="AlertFeed"/>) calls <see cref="Start"/>, <see cref="Publish"/> and <see cref="Stop"/>. Records are
/// kept as bytes in reused slots (<see cref="AlertReplayRing"/>); an event object is made only for a stream attached
/// now, or for a stream that resumes.
/// </summary>
public sealed class AlertFanOut
{
    private readonly object _gate = new();
    private readonly int _keepPerPartition;
    private readonly int _buffer;
    private readonly Func<int, long, byte[], AlertFeedEvent> _eventOf;
    private readonly List<AlertSubscription> _subscribers = [];
    private readonly Dictionary<int, AlertReplayRing> _kept = [];
    private readonly Dictionary<int, long> _low = [];
    private readonly Dictionary<int, long> _next = [];
    private bool _running;

    /// <param name="keepPerPartition">Records kept per partition for resuming streams.</param>
    /// <param name="buffer">Records a stream may fall behind before it is cut off.</param>
    /// <param name="eventOf">The event a stream sends for a record (partition, offset, value).</param>
    public AlertFanOut(int keepPerPartition, int buffer, Func<int, long, byte[], AlertFeedEvent> eventOf)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keepPerPartition);
        ArgumentOutOfRangeException.ThrowIfLessThan(buffer, 1);
        ArgumentNullException.ThrowIfNull(eventOf);
        _keepPerPartition = keepPerPartition;
        _buffer = buffer;
        _eventOf = eventOf;
    }

    /// <summary>Whether the reader is positioned and reading.</summary>
    public bool IsRunning
    {
        get
        {
            lock (_gate)
            {
                return _running;
            }
        }
    }

    /// <summary>Streams attached now.</summary>
    public int Subscribers
    {
        get
        {
            lock (_gate)
            {
                return _subscribers.Count;
            }
        }
    }

    /// <summary>The reader is positioned at <paramref name="next"/> (partition to next offset) on every partition.</summary>
    public void Start(IReadOnlyDictionary<int, long> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        lock (_gate)
        {
            _kept.Clear();
            _low.Clear();
            _next.Clear();
            foreach (var (partition, offset) in next)
            {
                if (_keepPerPartition > 0)
                {
                    _kept[partition] = new AlertReplayRing(_keepPerPartition);
                }

                _low[partition] = offset;
                _next[partition] = offset;
            }

            _running = true;
        }
    }

    /// <summary>The reader read <paramref name="value"/> at <paramref name="offset"/>, the next record of its partition; what is kept is copied, so the reader may reuse its buffer.</summary>
    public void Publish(int partition, long offset, ReadOnlySpan<byte> value)
    {
        lock (_gate)
        {
            if (!_running || !_next.ContainsKey(partition))
            {
                return;
            }

            if (_kept.TryGetValue(partition, out var kept))
            {
                if (kept.Add(offset, value) is >= 0 and var dropped)
                {
                    _low[partition] = dropped + 1;
                }
            }
            else
            {
                _low[partition] = offset + 1;
            }

            _next[partition] = offset + 1;
            if (_subscribers.Count == 0)
            {
                return;
            }

            var record = _eventOf(partition, offset, value.ToArray());
            for (var i = _subscribers.Count - 1; i >= 0; i--)
            {
                if (!_subscribers[i].Offer(record))
                {
                    _subscribers.RemoveAt(i);
                }
            }
        }
    }

    /// <summary>The reader stopped: every stream ends, and resumes from its last id when its client reconnects.</summary>
    public void Stop()
    {
        lock (_gate)
        {
            _running = false;
            foreach (var subscriber in _subscribers)
            {
                subscriber.End();
            }

            _subscribers.Clear();
        }
    }

    /// <summary>
    /// Attaches a stream at <paramref name="position"/> (partition to next offset; null: where the reader is now). False
    /// when the feed cannot serve it: not running, or a partition's position is outside what the feed holds (older
    /// than its oldest kept record, or not named); that stream reads the topic itself until it can attach.
    /// </summary>
    public bool TryAttach(IReadOnlyDictionary<int, long>? position, out AlertSubscription? subscription, out Dictionary<int, long>? start)
    {
        lock (_gate)
        {
            (subscription, start) = (null, null);
            if (!_running)
            {
                return false;
            }

            var replay = new List<AlertFeedEvent>();
            if (position is not null)
            {
                foreach (var (partition, next) in _next)
                {
                    if (!position.TryGetValue(partition, out var from) || from < _low[partition] || from > next)
                    {
                        return false;
                    }

                    if (_kept.TryGetValue(partition, out var kept))
                    {
                        kept.CopyFrom(partition, from, _eventOf, replay);
                    }
                }
            }

            start = position is null ? new Dictionary<int, long>(_next) : _next.Keys.ToDictionary(p => p, p => position[p]);
            subscription = new AlertSubscription(this, replay, _buffer);
            _subscribers.Add(subscription);
            return true;
        }
    }

    internal void Detach(AlertSubscription subscription)
    {
        lock (_gate)
        {
            _subscribers.Remove(subscription);
        }

        subscription.End();
    }
}
