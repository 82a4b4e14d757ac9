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
        foreach (var value in new[] { window.Min, window.Max, window.Sum, window.Mean, window.StdDev, window.First, window.Last })
        {
            BinaryPrimitives.WriteDoubleLittleEndian(span[at..], value);
            at += sizeof(double);
        }

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

    /// <summary>
    /// The history from stored items, oldest first: each window (metric, size, start) and each alert (id) once, the last
    /// stored copy winning (a republished output after a crash is stored twice), at most <paramref name="limits"/> of each.
    /// </summary>
    public static TwinHistory Decode(string deviceId, IEnumerable<byte[]> windows, IEnumerable<byte[]> alerts, TwinHistoryLimits limits)
    {
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentNullException.ThrowIfNull(alerts);
        var byWindow = new Dictionary<(string, TimeSpan, DateTimeOffset), int>();
        var decodedWindows = new List<WindowAggregate>();
        foreach (var bytes in windows)
        {
            var window = DecodeWindow(deviceId, bytes);
            Keep(decodedWindows, byWindow, (window.Metric, window.Size, window.Start), window);
        }

        var byAlert = new Dictionary<string, int>(StringComparer.Ordinal);
        var decodedAlerts = new List<Alert>();
        foreach (var bytes in alerts)
        {
            var alert = DecodeAlert(bytes);
            Keep(decodedAlerts, byAlert, alert.Id, alert);
        }

        return new TwinHistory(Latest(decodedWindows, limits.Windows), Latest(decodedAlerts, limits.Alerts));
    }

    private static void Keep<TKey, T>(List<T> items, Dictionary<TKey, int> index, TKey key, T item)
        where TKey : notnull
    {
        if (index.TryGetValue(key, out var at))
        {
            items[at] = item;
        }
        else
        {
            index[key] = items.Count;
            items.Add(item);
        }
    }

    private static List<T> Latest<T>(List<T> items, int limit) =>
        items.Count <= limit ? items : items.GetRange(items.Count - limit, limit);

    private static void WriteLong(Span<byte> span, ref int at, long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(span[at..], value);
        at += sizeof(long);
    }

    private static long ReadLong(ReadOnlySpan<byte> span, ref int at)
    {
        var value = BinaryPrimitives.ReadInt64LittleEndian(span[at..]);
        at += sizeof(long);
        return value;
    }
}
