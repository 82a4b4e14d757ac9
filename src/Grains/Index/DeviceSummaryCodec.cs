using System.Buffers.Binary;
using System.Text;
using DeviceTwins.Analytics;
using DeviceTwins.Grains.Interfaces.Models;
using DeviceTwins.Grains.Twin;

namespace DeviceTwins.Grains.Index;

/// <summary>
/// The stored form of a twin's summary, written straight from its state with every twin write: a marker byte and a
/// version, then the device id, version, last seen (UTC ticks and offset minutes), tags, latest metric values, active
/// alerts and the offline flag; lengths and counts as 7-bit varints, strings as UTF-8. Sized first and written into one
/// exact array, with no intermediate summary object.
/// </summary>
public static class DeviceSummaryCodec
{
    /// <summary>The first byte of the stored form; Orleans' serializer, which wrote summaries before, never starts with it.</summary>
    public const byte Marker = 0xFF;

    /// <summary>The version this codec writes.</summary>
    public const byte Version = 1;

    /// <summary>The stored form of <paramref name="state"/>'s summary.</summary>
    public static byte[] Encode(string deviceId, DeviceTwinState state)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        ArgumentNullException.ThrowIfNull(state);
        var (active, offline) = DeviceSummaries.Alerts(state);
        var size = 2 + StringSize(deviceId) + 8 + 8 + 2 + VarIntSize((uint)state.Tags.Count) + VarIntSize((uint)state.Metrics.Count) + VarIntSize((uint)active) + 1;
        foreach (var (key, value) in state.Tags)
        {
            size += StringSize(key) + StringSize(value);
        }

        foreach (var (name, _) in state.Metrics)
        {
            size += StringSize(name) + 8;
        }

        var bytes = new byte[size];
        var span = bytes.AsSpan();
        span[0] = Marker;
        span[1] = Version;
        var at = 2;
        at += WriteString(span[at..], deviceId);
        BinaryPrimitives.WriteInt64LittleEndian(span[at..], state.Version);
        BinaryPrimitives.WriteInt64LittleEndian(span[(at + 8)..], state.LastSeen.UtcTicks);
        BinaryPrimitives.WriteInt16LittleEndian(span[(at + 16)..], (short)state.LastSeen.TotalOffsetMinutes);
        at += 18;
        at += WriteVarInt(span[at..], (uint)state.Tags.Count);
        foreach (var (key, value) in state.Tags)
        {
            at += WriteString(span[at..], key);
            at += WriteString(span[at..], value);
        }

        at += WriteVarInt(span[at..], (uint)state.Metrics.Count);
        foreach (var (name, reading) in state.Metrics)
        {
            at += WriteString(span[at..], name);
            BinaryPrimitives.WriteDoubleLittleEndian(span[at..], reading.Value);
            at += 8;
        }

        at += WriteVarInt(span[at..], (uint)active);
        span[at++] = offline ? (byte)1 : (byte)0;
        return at == size ? bytes : throw new InvalidOperationException($"A device summary was sized at {size} bytes but took {at}.");
    }

    /// <summary>Whether <paramref name="stored"/> is in this codec's form (else an older form: Orleans' serializer).</summary>
    public static bool IsEncoded(ReadOnlySpan<byte> stored) => stored.Length >= 2 && stored[0] == Marker;

    /// <summary>The summary stored as <paramref name="stored"/>; <see cref="FormatException"/> when it is not a whole summary of a known version.</summary>
    public static DeviceSummary Decode(ReadOnlySpan<byte> stored)
    {
        if (!IsEncoded(stored))
        {
            throw new FormatException("Not a device summary of DeviceSummaryCodec.");
        }

        if (stored[1] != Version)
        {
            throw new FormatException($"Device summary version {stored[1]} is not known (this codec reads {Version}).");
        }

        var reader = new Reader(stored[2..]);
        var deviceId = reader.String();
        var version = reader.Int64();
        var ticks = reader.Int64();
        var offset = reader.Int16();
        var tagCount = reader.Count();
        var tags = tagCount == 0 ? null : new Dictionary<string, string>(Math.Min(tagCount, stored.Length), StringComparer.Ordinal);
        for (var i = 0; i < tagCount; i++)
        {
            tags![reader.Name()] = reader.Value();
        }

        var metricCount = reader.Count();
        if (metricCount > stored.Length)
        {
            throw new FormatException($"A device summary of {stored.Length} bytes cannot hold {metricCount} metrics.");
        }

        var metrics = new KeyValuePair<string, double>[metricCount];
        for (var i = 0; i < metricCount; i++)
        {
            metrics[i] = new KeyValuePair<string, double>(reader.Name(), reader.Double());
        }

        var active = reader.Count();
        var offline = reader.Byte() != 0;
        reader.EnsureEnd();
        return new DeviceSummary(deviceId, version, new DateTimeOffset(ticks, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(offset)), tags ?? DeviceTwinState.NoTags, new NamedValues<double>(metrics), active, offline);
    }

    private static int StringSize(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        return VarIntSize((uint)length) + length;
    }

    private static int VarIntSize(uint value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }

        return size;
    }

    private static int WriteVarInt(Span<byte> target, uint value)
    {
        var at = 0;
        while (value >= 0x80)
        {
            target[at++] = (byte)(value | 0x80);
            value >>= 7;
        }

        target[at++] = (byte)value;
        return at;
    }

    private static int WriteString(Span<byte> target, string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        var at = WriteVarInt(target, (uint)length);
        return at + Encoding.UTF8.GetBytes(value, target[at..]);
    }

    private ref struct Reader(ReadOnlySpan<byte> bytes)
    {
        private ReadOnlySpan<byte> _rest = bytes;

        public int Count()
        {
            uint value = 0;
            for (var shift = 0; shift < 35; shift += 7)
            {
                var next = Byte();
                value |= (uint)(next & 0x7F) << shift;
                if (next < 0x80)
                {
                    return value <= int.MaxValue ? (int)value : throw new FormatException("A device summary count is out of range.");
                }
            }

            throw new FormatException("A device summary count is malformed.");
        }

        public byte Byte() => Take(1)[0];

        public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

        public short Int16() => BinaryPrimitives.ReadInt16LittleEndian(Take(2));

        public double Double() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

        public string String() => Encoding.UTF8.GetString(Take(Count()));

        // Metric and tag names are shared with every twin and summary in the process, not copied per stored summary.
        public string Name() => NameTable.FromUtf8(Take(Count()), add: true);

        // A tag value: the shared instance when it is also a name (a tenant, a site named like a metric), else a copy.
        public string Value() => NameTable.FromUtf8(Take(Count()), add: false);

        public readonly void EnsureEnd()
        {
            if (!_rest.IsEmpty)
            {
                throw new FormatException($"A device summary has {_rest.Length} bytes past its end.");
            }
        }

        private ReadOnlySpan<byte> Take(int count)
        {
            if (count > _rest.Length)
            {
                throw new FormatException("A device summary ends early.");
            }

            var taken = _rest[..count];
            _rest = _rest[count..];
            return taken;
        }
    }
}
