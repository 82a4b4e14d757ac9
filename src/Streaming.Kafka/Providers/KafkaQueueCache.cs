using System.Diagnostics.CodeAnalysis;
using Orleans.Streams;

namespace DeviceTwins.Streaming.Kafka.Providers;

/// <summary>
/// A queue cache indexed per stream. Orleans' SimpleQueueCache makes every stream's cursor walk the whole
/// cached queue, so the cost per delivery grows with the streams per queue; here each cursor walks only its
/// own stream's batches. A batch is purged (and reported to the receiver for commit) once every cursor of its
/// stream has moved past it; batches of streams without any cursor are purged on the next purge call.
/// Capacity counts records, not batches, so memory and in-flight deliveries stay bounded however records group.
/// Used only from the pulling agent's single-threaded turn.
/// </summary>
public sealed class KafkaQueueCache : IQueueCache
{
    private readonly Dictionary<StreamId, StreamEntries> _streams = [];
    private readonly HashSet<StreamEntries> _orphans = [];
    private readonly int _capacity;
    private readonly int _maxAddCount;
    private List<IBatchContainer> _purged = [];

    // Dropped once the pulling agent stopped (Release): what is held then no longer counts against them.
    private RecordBudget? _budget;
    private NewStreamBudget? _newStreams;

    // New streams per record in the last read; before any read, every record is taken for a new device's.
    private double _newShare = 1;

    /// <summary>
    /// Creates a cache holding at most <paramref name="capacity"/> undelivered records, reading at most
    /// <paramref name="maxAddCount"/> records at a time, within a <paramref name="budget"/> shared with the other queues,
    /// and with at most as many streams new to the cache in flight as <paramref name="newStreams"/> has room for.
    /// </summary>
    public KafkaQueueCache(int capacity, int maxAddCount, RecordBudget? budget = null, NewStreamBudget? newStreams = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAddCount, 1);
        _capacity = capacity;
        _maxAddCount = Math.Min(maxAddCount, capacity);
        _budget = budget;
        _newStreams = newStreams;
    }

    /// <summary>Batches held: not yet delivered to every cursor of their stream.</summary>
    public int Count { get; private set; }

    /// <summary>Records in the batches held; reading pauses while another read could exceed the capacity.</summary>
    public int RecordCount { get; private set; }

    /// <summary>Streams with cached batches or live cursors.</summary>
    public int StreamCount => _streams.Count;

    /// <summary>Streams new to this cache whose first batch is not delivered yet.</summary>
    public int NewStreamCount { get; private set; }

    // A read is sized so that, at the share of new streams the last read had, it brings no more of them than the budget
    // has room for: a backlog of unknown devices is read a few thousand at a time, a warm fleet in full reads.
    // 0 makes the pulling agent skip the read.
    public int GetMaxAddCount()
    {
        if (_newStreams is null)
        {
            return _maxAddCount;
        }

        var room = _newStreams.Room;
        return room == 0 ? 0 : (int)Math.Min(_maxAddCount, room / Math.Max(_newShare, 1.0 / _maxAddCount));
    }

    public bool IsUnderPressure() =>
        RecordCount + _maxAddCount > _capacity || (_budget?.WouldExceed(_maxAddCount) ?? false) || _newStreams is { Room: 0 };

    public void AddToCache(IList<IBatchContainer> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var records = 0;
        var newStreams = 0;
        foreach (var message in messages)
        {
            if (message is not KafkaBatchContainer batch)
            {
                throw new ArgumentException($"The Kafka queue cache holds only {nameof(KafkaBatchContainer)}, not {message?.GetType().Name ?? "null"}.", nameof(messages));
            }

            var entries = GetOrAdd(batch.StreamId);
            if (entries.Count == 0 && entries.CursorCount == 0 && !entries.IsNew)
            {
                // Nothing of this stream is held and no consumer reads it here yet: its first delivery activates one.
                entries.IsNew = true;
                NewStreamCount++;
                newStreams++;
                _newStreams?.Add(1);
            }

            entries.Append(batch);
            Count++;
            records += batch.Offsets.Length;
            RecordCount += batch.Offsets.Length;
            _budget?.Add(batch.Offsets.Length);
            if (entries.CursorCount == 0)
            {
                _orphans.Add(entries);
            }
        }

        if (records > 0)
        {
            _newShare = newStreams / (double)records;
        }
    }

    public bool TryPurgeFromCache([MaybeNullWhen(false)] out IList<IBatchContainer> purgedItems)
    {
        foreach (var entries in _orphans)
        {
            if (entries.CursorCount == 0)
            {
                while (entries.Count > 0)
                {
                    Purge(entries);
                }

                _streams.Remove(entries.StreamId);
            }
        }

        _orphans.Clear();
        if (_purged.Count == 0)
        {
            purgedItems = null;
            return false;
        }

        purgedItems = _purged;
        _purged = [];
        return true;
    }

    public IQueueCacheCursor GetCacheCursor(StreamId streamId, StreamSequenceToken? token)
    {
        var entries = GetOrAdd(streamId);
        var position = token is null ? entries.EndPosition : entries.PositionOf(token.SequenceNumber);
        var cursor = new KafkaQueueCacheCursor(this, entries, position);
        entries.AddCursor(cursor);
        _orphans.Remove(entries);
        OnCursorMoved(entries);
        return cursor;
    }

    public QueueCacheCursorResult<IQueueCacheCursor> TryGetCacheCursor(StreamId streamId, StreamSequenceToken? token) =>
        QueueCacheCursorResult<IQueueCacheCursor>.FromCursor(GetCacheCursor(streamId, token));

    internal void OnCursorMoved(StreamEntries entries)
    {
        var held = entries.HeldPosition();

        while (entries.Count > 0 && entries.BasePosition < held)
        {
            Purge(entries);
        }
    }

    /// <summary>
    /// Gives back what this cache counts against the silo-wide budgets, because its pulling agent stopped (the queue
    /// moved to another silo, or the silo is stopping) and will neither deliver nor purge what it holds; the queue's
    /// next reader reads those records again from the last committed offset.
    /// </summary>
    public void Release()
    {
        _budget?.Add(-RecordCount);
        _newStreams?.Add(-NewStreamCount);
        _budget = null;
        _newStreams = null;
    }

    internal void OnCursorDisposed(StreamEntries entries, KafkaQueueCacheCursor cursor)
    {
        entries.RemoveCursor(cursor);
        if (entries.CursorCount > 0)
        {
            OnCursorMoved(entries);
            return;
        }

        // No consumer will take this stream's first batch from here (none subscribed, or the pulling agent shut down
        // when its queue moved to another silo): it no longer holds a place in the silo-wide budget.
        ReleaseNew(entries);
        if (entries.Count > 0)
        {
            _orphans.Add(entries);
        }
        else if (_streams.TryGetValue(entries.StreamId, out var current) && ReferenceEquals(current, entries))
        {
            _streams.Remove(entries.StreamId);
        }
    }

    private void Purge(StreamEntries entries)
    {
        ReleaseNew(entries);
        var batch = entries.Dequeue();
        _purged.Add(batch);
        Count--;
        RecordCount -= batch.Offsets.Length;
        _budget?.Add(-batch.Offsets.Length);
    }

    private void ReleaseNew(StreamEntries entries)
    {
        if (entries.IsNew)
        {
            entries.IsNew = false;
            NewStreamCount--;
            _newStreams?.Add(-1);
        }
    }

    private StreamEntries GetOrAdd(StreamId streamId)
    {
        if (!_streams.TryGetValue(streamId, out var entries))
        {
            entries = new StreamEntries(streamId);
            _streams.Add(streamId, entries);
        }

        return entries;
    }
}
