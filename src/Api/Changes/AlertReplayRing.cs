namespace DeviceTwins.Api.Changes;

/// <summary>
/// The last records of one partition of the alerts topic, kept for streams that resume: each slot's bytes are copied
/// into an array the slot keeps and reuses, so a storm of alerts read back leaves nothing new alive for the collector
/// to promote (the records it replaces were the largest part of what a collection promoted in a storm). Not thread
/// safe: <see cref="AlertFanOut"/> holds its lock.
/// </summary>
internal sealed class AlertReplayRing
{
    private const int SmallestSlot = 256;

    private readonly long[] _offsets;
    private readonly byte[][] _values;
    private readonly int[] _lengths;
    private int _head;
    private int _count;

    public AlertReplayRing(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _offsets = new long[capacity];
        _values = new byte[capacity][];
        _lengths = new int[capacity];
    }

    /// <summary>Records kept.</summary>
    public int Count => _count;

    /// <summary>Keeps a copy of the record; returns the offset of the record it pushed out, or -1 when none was.</summary>
    public long Add(long offset, ReadOnlySpan<byte> value)
    {
        var dropped = -1L;
        int slot;
        if (_count == _offsets.Length)
        {
            slot = _head;
            dropped = _offsets[slot];
            _head = (_head + 1) % _offsets.Length;
        }
        else
        {
            slot = (_head + _count) % _offsets.Length;
            _count++;
        }

        var buffer = _values[slot];
        if (buffer is null || buffer.Length < value.Length)
        {
            // Powers of two from 256 bytes: a slot grows a few times at most, then holds any alert of that size.
            buffer = _values[slot] = new byte[Math.Max(SmallestSlot, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)value.Length))];
        }

        value.CopyTo(buffer);
        _offsets[slot] = offset;
        _lengths[slot] = value.Length;
        return dropped;
    }

    /// <summary>Each kept record from <paramref name="from"/> on, oldest first, as a new event with its own copy of the bytes.</summary>
    public void CopyFrom(int partition, long from, Func<int, long, byte[], AlertFeedEvent> eventOf, List<AlertFeedEvent> into)
    {
        for (var i = 0; i < _count; i++)
        {
            var slot = (_head + i) % _offsets.Length;
            if (_offsets[slot] >= from)
            {
                into.Add(eventOf(partition, _offsets[slot], _values[slot].AsSpan(0, _lengths[slot]).ToArray()));
            }
        }
    }
}
