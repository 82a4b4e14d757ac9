using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using DeviceTwins.Analytics.Alerts;
using DeviceTwins.Analytics.Windows;

namespace DeviceTwins.Grains.Persistence;

/// <summary>
/// The stored form of retained outputs. A closed window is a fixed binary layout (about 100 bytes: a twin retains
/// 120 of them), a cleared alert is JSON (rare, and richer). Both round-trip exactly; the device id is the store's key.
/// </summary>
public static class TwinHistoryCodec
{
    private const byte WindowFormat = 1;

    // Format, metric length, 4 longs, 7 doubles, late; the metric's UTF-8 bytes follow the length.
    private const int FixedWindowBytes = 1 + 2 + (4 * sizeof(long)) + (7 * sizeof(double)) + sizeof(long);

    private static readonly JsonSerializerOptions AlertJson = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>Encodes a closed window.</summary>
    public static byte[] EncodeWindow(WindowAggregate window)
    {
        ArgumentNullException.ThrowIfNull(window);
        var metricBytes = Encoding.UTF8.GetByteCount(window.Metric);
        var bytes = new byte[FixedWindowBytes + metricBytes];
        var span = bytes.AsSpan();
        span[0] = WindowFormat;
        BinaryPrimitives.WriteUInt16LittleEndian(span[1..], checked((ushort)metricBytes));
        var at = 3;
        WriteLong(span, ref at, window.Size.Ticks);
        WriteLong(span, ref at, window.Start.UtcTicks);
        WriteLong(span, ref at, window.End.UtcTicks);
        WriteLong(span, ref at, window.Count);
        WriteDouble(span, ref at, window.Min);
        WriteDouble(span, ref at, window.Max);
        WriteDouble(span, ref at, window.Sum);
        WriteDouble(span, ref at, window.Mean);
        WriteDouble(span, ref at, window.StdDev);
        WriteDouble(span, ref at, window.First);
        WriteDouble(span, ref at, window.Last);

        WriteLong(span, ref at, window.Late);
        Encoding.UTF8.GetBytes(window.Metric, span[at..]);
        return bytes;
    }

    /// <summary>Decodes a window written by <see cref="EncodeWindow"/> for <paramref name="deviceId"/>.</summary>
    public static WindowAggregate DecodeWindow(string deviceId, ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < FixedWindowBytes || bytes[0] != WindowFormat)
        {
            throw new FormatException($"Not a stored window of device {deviceId} ({bytes.Length} bytes).");
        }

        var metricBytes = BinaryPrimitives.ReadUInt16LittleEndian(bytes[1..]);
        if (bytes.Length != FixedWindowBytes + metricBytes)
        {
            throw new FormatException($"A stored window of device {deviceId} has {bytes.Length} bytes, not {FixedWindowBytes + metricBytes}.");
        }

        var at = 3;
        var size = ReadLong(bytes, ref at);
        var start = ReadLong(bytes, ref at);
        var end = ReadLong(bytes, ref at);
        var count = ReadLong(bytes, ref at);
        Span<double> values = stackalloc double[7];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes[at..]);
            at += sizeof(double);
        }

        var late = ReadLong(bytes, ref at);
        return new WindowAggregate
        {
            DeviceId = deviceId,
            Metric = Encoding.UTF8.GetString(bytes.Slice(at, metricBytes)),
            Size = TimeSpan.FromTicks(size),
            Start = new DateTimeOffset(start, TimeSpan.Zero),
            End = new DateTimeOffset(end, TimeSpan.Zero),
            Count = count,
            Min = values[0],
            Max = values[1],
            Sum = values[2],
            Mean = values[3],
            StdDev = values[4],
            First = values[5],
            Last = values[6],
            Late = late,
        };
    }

    /// <summary>Encodes a cleared alert.</summary>
    public static byte[] EncodeAlert(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return JsonSerializer.SerializeToUtf8Bytes(alert, AlertJson);
    }

    /// <summary>Decodes an alert written by <see cref="EncodeAlert"/>.</summary>
    public static Alert DecodeAlert(ReadOnlySpan<byte> bytes) =>
        JsonSerializer.Deserialize<Alert>(bytes, AlertJson) ?? throw new FormatException("A stored alert is null.");

    /// <summary>The history from stored items, as <see cref="TwinHistory.Of"/> makes it (each item once, the latest ones).</summary>
    public static TwinHistory Decode(string deviceId, IEnumerable<byte[]> windows, IEnumerable<byte[]> alerts, TwinHistoryLimits limits)
    {
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentNullException.ThrowIfNull(alerts);
        return TwinHistory.Of(windows.Select(w => DecodeWindow(deviceId, w)), alerts.Select(a => DecodeAlert(a)), limits);
    }

    private static void WriteLong(Span<byte> span, ref int at, long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(span[at..], value);
        at += sizeof(long);
    }

    private static void WriteDouble(Span<byte> span, ref int at, double value)
    {
        BinaryPrimitives.WriteDoubleLittleEndian(span[at..], value);
        at += sizeof(double);
    }

    private static long ReadLong(ReadOnlySpan<byte> span, ref int at)
    {
        var value = BinaryPrimitives.ReadInt64LittleEndian(span[at..]);
        at += sizeof(long);
        return value;
    }
}
