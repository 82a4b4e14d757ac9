using Orleans.Streams;

namespace DeviceTwins.Streaming.Kafka.Providers;

/// <summary>A cursor over one stream's batches only: moving it costs O(1) whatever the number of streams in the queue.</summary>
public sealed class KafkaQueueCacheCursor : IQueueCacheCursor
{
    private readonly KafkaQueueCache _cache;
    private readonly StreamEntries _entries;
    private KafkaBatchContainer? _current;
    private long _currentPosition;
    private long _nextPosition;
    private bool _disposed;

    internal KafkaQueueCacheCursor(KafkaQueueCache cache, StreamEntries entries, long position)
    {
        _cache = cache;
        _entries = entries;
        _nextPosition = position;
    }

    /// <summary>The oldest position this cursor still needs: its current batch until it moves past it.</summary>
    internal long HeldPosition => _current is null ? _nextPosition : _currentPosition;

    public IBatchContainer? GetCurrent(out Exception? exception)
    {
        exception = null;
        return _current;
    }

    public bool MoveNext()
    {
        if (_disposed)
        {
            return false;
        }

        if (_nextPosition < _entries.BasePosition)
        {
            _nextPosition = _entries.BasePosition;
        }

        if (_nextPosition < _entries.EndPosition)
        {
            _current = _entries.Get(_nextPosition);
            _currentPosition = _nextPosition;
            _nextPosition++;
            _cache.OnCursorMoved(_entries);
            return true;
        }

        _current = null;
        _cache.OnCursorMoved(_entries);
        return false;
    }

    public QueueCacheCursorMoveResult MoveNextWithResult() =>
        MoveNext() ? QueueCacheCursorMoveResult.Success : QueueCacheCursorMoveResult.NoData;

    public void Refresh(StreamSequenceToken token)
    {
        // A cursor at the end of its stream sees batches appended later on its next MoveNext.
    }

    public void RecordDeliveryFailure()
    {
        if (_current is not null)
        {
            _current.DeliveryFailed = true;
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _current = null;
        _cache.OnCursorDisposed(_entries, this);
    }
}
