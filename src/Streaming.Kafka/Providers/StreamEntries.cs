namespace DeviceTwins.Streaming.Kafka.Providers;

/// <summary>
/// The cached batches of one stream in arrival order, addressed by absolute position, and the cursors reading them.
/// Kept for as long as the stream's consumer is subscribed, so sized for what a stream almost always has: one batch
/// and one cursor are held in fields, and lists are made only for more (and dropped once drained).
/// </summary>
internal sealed class StreamEntries
{
    private KafkaBatchContainer? _single; // the only batch, while _items is null
    private List<KafkaBatchContainer>? _items;
    private int _head;
    private KafkaQueueCacheCursor? _cursor;
    private List<KafkaQueueCacheCursor>? _moreCursors;

    public StreamEntries(StreamId streamId)
    {
        StreamId = streamId;
    }

    public StreamId StreamId { get; }

    /// <summary>Absolute position of the oldest retained batch.</summary>
    public long BasePosition { get; private set; }

    /// <summary>Absolute position one past the newest batch.</summary>
    public long EndPosition => BasePosition + Count;

    public int Count => _items is { } items ? items.Count - _head : _single is null ? 0 : 1;

    public int CursorCount => _cursor is null ? 0 : 1 + (_moreCursors?.Count ?? 0);

    /// <summary>True from the first batch of a stream without a cursor until that batch is purged (delivered).</summary>
    public bool IsNew { get; set; }

    public void Append(KafkaBatchContainer batch)
    {
        if (_items is { } items)
        {
            items.Add(batch);
        }
        else if (_single is null)
        {
            _single = batch;
        }
        else
        {
            _items = [_single, batch];
            _single = null;
            _head = 0;
        }
    }

    public KafkaBatchContainer Get(long position)
    {
        var index = (int)(position - BasePosition);
        if (_items is { } items)
        {
            return items[_head + index];
        }

        ArgumentOutOfRangeException.ThrowIfNotEqual(index, 0, nameof(position));
        return _single ?? throw new ArgumentOutOfRangeException(nameof(position), "The stream holds no batch.");
    }

    /// <summary>Position of the first batch that contains an offset at or after <paramref name="offset"/>.</summary>
    public long PositionOf(long offset)
    {
        for (var i = 0; i < Count; i++)
        {
            if (Get(BasePosition + i).LastOffset >= offset)
            {
                return BasePosition + i;
            }
        }

        return EndPosition;
    }

    public KafkaBatchContainer Dequeue()
    {
        BasePosition++;
        if (_items is not { } items)
        {
            var only = _single ?? throw new InvalidOperationException("The stream holds no batch.");
            _single = null;
            return only;
        }

        var item = items[_head];
        items[_head] = null!;
        _head++;
        if (_head == items.Count)
        {
            // Drained: a quiet stream holds no list until it has two batches again.
            _items = null;
            _head = 0;
        }
        else if (_head >= 32 && _head * 2 >= items.Count)
        {
            items.RemoveRange(0, _head);
            _head = 0;
        }

        return item;
    }

    public void AddCursor(KafkaQueueCacheCursor cursor)
    {
        if (_cursor is null)
        {
            _cursor = cursor;
        }
        else
        {
            (_moreCursors ??= []).Add(cursor);
        }
    }

    public void RemoveCursor(KafkaQueueCacheCursor cursor)
    {
        if (ReferenceEquals(_cursor, cursor))
        {
            _cursor = null;
            if (_moreCursors is { Count: > 0 } more)
            {
                _cursor = more[^1];
                more.RemoveAt(more.Count - 1);
            }
        }
        else
        {
            _moreCursors?.Remove(cursor);
        }

        if (_moreCursors is { Count: 0 })
        {
            _moreCursors = null;
        }
    }

    /// <summary>The lowest position a cursor of this stream still holds (<see cref="long.MaxValue"/> without one).</summary>
    public long HeldPosition()
    {
        var held = _cursor?.HeldPosition ?? long.MaxValue;
        if (_moreCursors is { } more)
        {
            foreach (var cursor in more)
            {
                held = Math.Min(held, cursor.HeldPosition);
            }
        }

        return held;
    }
}
