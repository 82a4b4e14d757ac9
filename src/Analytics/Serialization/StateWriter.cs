using System.Buffers.Binary;
using System.Text;

namespace DeviceTwins.Analytics.Serialization;

/// <summary>
/// Appends the primitives of the analytics state format to a growable buffer: varints, little-endian doubles,
/// instants as UTC ticks and offset, and strings through a per-state table so a repeated name costs one or two bytes.
/// </summary>
public sealed class StateWriter
{
    private readonly List<string> _strings = [];
    private byte[] _buffer;
    private int _length;

    /// <summary>A writer with room for <paramref name="capacity"/> bytes before it grows.</summary>
    public StateWriter(int capacity = 1024) => _buffer = new byte[Math.Max(16, capacity)];

    /// <summary>The bytes written since the last <see cref="Reset"/>.</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    /// <summary>Forgets what was written and the string table; keeps the buffer.</summary>
    public void Reset()
    {
        _length = 0;
        _strings.Clear();
    }

    public void Byte(byte value) => Room(1)[0] = value;

    public void Bool(bool value) => Byte(value ? (byte)1 : (byte)0);

    public void UInt(ulong value)
    {
        var span = Room(10);
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i++] = (byte)value;
        _length -= 10 - i;
    }

    /// <summary>A signed integer, zig-zag encoded so small negative numbers stay short.</summary>
    public void Int(long value) => UInt((ulong)((value << 1) ^ (value >> 63)));

    public void Double(double value) => BinaryPrimitives.WriteDoubleLittleEndian(Room(8), value);

    public void Float(float value) => BinaryPrimitives.WriteSingleLittleEndian(Room(4), value);

    public void Instant(DateTimeOffset value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(Room(8), value.UtcTicks);
        Int((long)value.Offset.TotalMinutes);
    }

    public void Duration(TimeSpan value) => Int(value.Ticks);

    public void Instant(DateTimeOffset? value)
    {
        Bool(value.HasValue);
        if (value.HasValue)
        {
            Instant(value.Value);
        }
    }

    public void Double(double? value)
    {
        Bool(value.HasValue);
        if (value.HasValue)
        {
            Double(value.Value);
        }
    }

    public void Doubles(double[] values)
    {
        UInt((uint)values.Length);
        foreach (var value in values)
        {
            Double(value);
        }
    }

    public void Floats(float[] values)
    {
        UInt((uint)values.Length);
        foreach (var value in values)
        {
            Float(value);
        }
    }

    /// <summary>0 for null, 1 and the UTF-8 bytes for a string not yet written in this state, 2 + its index otherwise.</summary>
    public void String(string? value)
    {
        if (value is null)
        {
            UInt(0);
            return;
        }

        for (var i = 0; i < _strings.Count; i++)
        {
            if (ReferenceEquals(_strings[i], value) || string.Equals(_strings[i], value, StringComparison.Ordinal))
            {
                UInt((ulong)i + 2);
                return;
            }
        }

        _strings.Add(value);
        UInt(1);
        var bytes = Encoding.UTF8.GetByteCount(value);
        UInt((uint)bytes);
        Encoding.UTF8.GetBytes(value, Room(bytes));
    }

    private Span<byte> Room(int bytes)
    {
        if (_length + bytes > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + bytes));
        }

        var span = _buffer.AsSpan(_length, bytes);
        _length += bytes;
        return span;
    }
}
