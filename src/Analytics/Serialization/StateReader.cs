using System.Buffers.Binary;

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
        // No array of its own when empty (most detectors keep no window): the one shared empty array, as a fresh state holds.
        var count = Count(8);
        var values = count == 0 ? [] : new double[count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Double();
        }

        return values;
    }

    public float[] Floats()
    {
        var count = Count(4);
        var values = count == 0 ? [] : new float[count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Float();
        }

        return values;
    }

    /// <summary>A string; the process's shared instance when its text is a name in <see cref="NameTable"/>.</summary>
    public string? NullableString() => ReadString(name: false);

    public string String() => NullableString() ?? throw new AnalyticsStateFormatException($"a null string before byte {_position} where one is required");

    /// <summary>A metric, rule or map key name: the process's shared instance (<see cref="NameTable"/>), not a copy per twin.</summary>
    public string? NullableName() => ReadString(name: true);

    public string Name() => NullableName() ?? throw new AnalyticsStateFormatException($"a null name before byte {_position} where one is required");

    private string? ReadString(bool name)
    {
        var tag = UInt();
        if (tag == 0)
        {
            return null;
        }

        if (tag == 1)
        {
            var length = Count();
            var value = NameTable.FromUtf8(Take(length), add: name);
            _strings.Add(value);
            return value;
        }

        var index = tag - 2;
        if (index >= (ulong)_strings.Count)
        {
            throw new AnalyticsStateFormatException($"string {index} referenced at byte {_position} before it was written");
        }

        var known = _strings[(int)index];
        if (name)
        {
            // First read as plain text: share it from here on.
            known = _strings[(int)index] = NameTable.Shared(known);
        }

        return known;
    }

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
