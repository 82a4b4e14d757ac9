namespace DeviceTwins.Streaming.Kafka.Providers;

/// <summary>The cached batches of one stream in arrival order, addressed by absolute position, and the cursors reading them.</summary>
internal sealed class StreamEntries
{
    private readonly List<KafkaBatchContainer> _items = [];
    private int _head;

    public StreamEntries(StreamId streamId)
    {
        StreamId = streamId;
    }

    public StreamId StreamId { get; }

    /// <summary>Absolute position of the oldest retained batch.</summary>
    public long BasePosition { get; private set; }

    /// <summary>Absolute position one past the newest batch.</summary>
    public long EndPosition => BasePosition + Count;

    public int Count => _items.Count - _head;

    public List<KafkaQueueCacheCursor> Cursors { get; } = [];

    /// <summary>True from the first batch of a stream without a cursor until that batch is purged (delivered).</summary>
    public bool IsNew { get; set; }

    public void Append(KafkaBatchContainer batch) => _items.Add(batch);

    public KafkaBatchContainer Get(long position) => _items[_head + (int)(position - BasePosition)];

    /// <summary>Position of the first batch that contains an offset at or after <paramref name="offset"/>.</summary>
    public long PositionOf(long offset)
    {
        for (var i = _head; i < _items.Count; i++)
        {
            if (_items[i].LastOffset >= offset)
            {
                return BasePosition + (i - _head);
            }
        }

        return EndPosition;
    }

    public KafkaBatchContainer Dequeue()
    {
        var item = _items[_head];
        _items[_head] = null!;
        _head++;
        BasePosition++;
        if (_head == _items.Count)
        {
            _items.Clear();
            _head = 0;
        }
        else if (_head >= 32 && _head * 2 >= _items.Count)
        {
            _items.RemoveRange(0, _head);
            _head = 0;
        }

        return item;
    }
}
