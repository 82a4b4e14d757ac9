using System.Buffers.Binary;
using System.Text;

namespace DeviceTwins.Analytics.Serialization;

/// <summary>Reads what <see cref="StateWriter"/> wrote, failing with <see cref="AnalyticsStateFormatException"/> on bytes it did not.</summary>
public ref struct StateReader
{
    private readonly ReadOnlySpan<byte> _bytes;
    private readonly List<string> _strings;
    private int _position;

    public StateReader(ReadOnlySpan<byte> bytes)
    {
        _bytes = bytes;
        _strings = [];
        _position = 0;
    }

    /// <summary>Whether every byte was read.</summary>
    public readonly bool AtEnd => _position == _bytes.Length;

    public byte Byte() => Take(1)[0];

    public bool Bool() => Byte() switch
    {
        0 => false,
        1 => true,
        var other => throw new AnalyticsStateFormatException($"a flag byte of {other} at byte {_position - 1}"),
    };

    public ulong UInt()
    {
        ulong value = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            var b = Byte();
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new AnalyticsStateFormatException($"a varint longer than 10 bytes before byte {_position}");
    }

    public long Int()
    {
        var raw = UInt();
        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }

    /// <summary>A signed integer that must lie in 0..<see cref="int.MaxValue"/>, such as the records in one window.</summary>
    public int SmallCount()
    {
        var value = Int();
        if (value is < 0 or > int.MaxValue)
        {
            throw new AnalyticsStateFormatException($"a count of {value} before byte {_position} is out of range");
        }

        return (int)value;
    }

    /// <summary>A count of items, checked against what is left so a corrupt length cannot allocate gigabytes.</summary>
    public int Count(int bytesPerItem = 1)
    {
        var count = UInt();
        if (count > (ulong)((_bytes.Length - _position) / Math.Max(1, bytesPerItem)))
        {
            throw new AnalyticsStateFormatException($"a count of {count} at byte {_position} exceeds the bytes left");
        }

        return (int)count;
    }

    public int Int32()
    {
        var value = Int();
        return value is >= int.MinValue and <= int.MaxValue
            ? (int)value
            : throw new AnalyticsStateFormatException($"{value} does not fit a 32-bit field before byte {_position}");
    }

    public double Double() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

    public float Float() => BinaryPrimitives.ReadSingleLittleEndian(Take(4));

    public DateTimeOffset Instant()
    {
        var utcTicks = BinaryPrimitives.ReadInt64LittleEndian(Take(8));
        var minutes = Int();
        if (minutes is < -14 * 60 or > 14 * 60 || utcTicks < DateTimeOffset.MinValue.UtcTicks || utcTicks > DateTimeOffset.MaxValue.UtcTicks)
        {
            throw new AnalyticsStateFormatException($"an instant out of range before byte {_position}");
        }

        var offset = TimeSpan.FromMinutes(minutes);
        try
        {
            return new DateTimeOffset(utcTicks, TimeSpan.Zero).ToOffset(offset);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new AnalyticsStateFormatException($"an instant out of range before byte {_position}", e);
        }
    }

    public TimeSpan Duration() => TimeSpan.FromTicks(Int());

    public DateTimeOffset? NullableInstant() => Bool() ? Instant() : null;

    public double? NullableDouble() => Bool() ? Double() : null;

    public double[] Doubles()
    {
        var values = new double[Count(8)];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Double();
        }

        return values;
    }

    public float[] Floats()
    {
        var values = new float[Count(4)];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Float();
        }

        return values;
    }

    public string? NullableString()
    {
        var tag = UInt();
        if (tag == 0)
        {
            return null;
        }

        if (tag == 1)
        {
            var length = Count();
            var value = Encoding.UTF8.GetString(Take(length));
            _strings.Add(value);
            return value;
        }

        var index = tag - 2;
        if (index >= (ulong)_strings.Count)
        {
            throw new AnalyticsStateFormatException($"string {index} referenced at byte {_position} before it was written");
        }

        return _strings[(int)index];
    }

    public string String() => NullableString() ?? throw new AnalyticsStateFormatException($"a null string before byte {_position} where one is required");

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _bytes.Length - _position)
        {
            throw new AnalyticsStateFormatException($"the state ends at byte {_bytes.Length}, {count} bytes were wanted at byte {_position}");
        }

        var span = _bytes.Slice(_position, count);
        _position += count;
        return span;
    }
}
