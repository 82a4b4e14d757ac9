using System.Globalization;
using System.Text;

namespace DeviceTwins.Testing;

/// <summary>
/// Deterministic poison telemetry records, one kind per way a record can break the telemetry contract. Self-contained
/// (no test framework, no Orleans) so that test projects and the fault-campaign tool can link it.
/// </summary>
internal static class PoisonRecords
{
    /// <summary>Size of the value <see cref="CreateLarge"/> makes: 1 MiB.</summary>
    public const int LargeValueBytes = 1024 * 1024;

    /// <summary>
    /// librdkafka's message.max.bytes a producer needs to write a <see cref="CreateLarge"/> record (the default,
    /// 1,000,000, refuses it locally): value, key, headers and record framing must fit.
    /// </summary>
    public const int LargeProducerMessageMaxBytes = 2 * 1024 * 1024;

    /// <summary>An event time the contract accepts (with the default Telemetry:MaxAge), for records poisoned elsewhere.</summary>
    public const string ValidTimestamp = "2026-01-01T00:00:00Z";

    private static readonly Kind[] SmallKinds =
    [
        new("invalid-json", KeyOf, Text((d, n) => $$$"""{"deviceId":"{{{d}}}","seq":{{{n}}},"ts":"{{{ValidTimestamp}}}","metrics":{"t":1"""), "invalid JSON"),
        new("trailing-content", KeyOf, Text((d, n) => Valid(d, n) + " {}"), "invalid JSON"),
        new("whitespace-value", KeyOf, Text((d, n) => "  \n "), "invalid JSON"),
        new("empty-value", KeyOf, Text((d, n) => string.Empty), "empty value"),
        new("document-array", KeyOf, Text((d, n) => $"[{Valid(d, n)}]"), "the value must be a JSON object"),
        new("document-number", KeyOf, Text((d, n) => n.ToString(CultureInfo.InvariantCulture)), "the value must be a JSON object"),
        new("document-string", KeyOf, Text((d, n) => $"\"{d}\""), "the value must be a JSON object"),
        new("document-null", KeyOf, Text((d, n) => "null"), "the value must be a JSON object"),
        new("deeply-nested", KeyOf, Text((d, n) => $$$"""{"deviceId":"{{{d}}}","seq":{{{n}}},"ts":"{{{ValidTimestamp}}}","props":{"deep":{{{new string('[', 64)}}}{{{new string(']', 64)}}}}}"""), "maximum configured depth of 16"),
        new("wrong-type-metric", KeyOf, Text((d, n) => Body(d, n, "\"hot\"")), "metric 't' must be a number, not String"),
        new("wrong-type-metrics", KeyOf, Text((d, n) => $$$"""{"deviceId":"{{{d}}}","seq":{{{n}}},"ts":"{{{ValidTimestamp}}}","metrics":[1]}"""), "'metrics' must be an object of numbers"),
        new("wrong-type-props", KeyOf, Text((d, n) => $$$"""{"deviceId":"{{{d}}}","seq":{{{n}}},"ts":"{{{ValidTimestamp}}}","props":"on"}"""), "'props' must be an object"),
        new("wrong-type-device-id", KeyOf, Text((d, n) => $$$"""{"deviceId":{{{n}}},"ts":"{{{ValidTimestamp}}}","metrics":{"t":1}}"""), "'deviceId' must be a string"),
        new("wrong-type-ts", KeyOf, Text((d, n) => $$$"""{"deviceId":"{{{d}}}","seq":{{{n}}},"ts":true,"metrics":{"t":1}}"""), "'ts' must be an ISO-8601 string or epoch milliseconds"),
        new("nan-literal", KeyOf, Text((d, n) => Body(d, n, "NaN")), "invalid JSON"),
        new("infinity-literal", KeyOf, Text((d, n) => Body(d, n, "-Infinity")), "invalid JSON"),
        new("nan-string", KeyOf, Text((d, n) => Body(d, n, "\"NaN\"")), "metric 't' must be a number, not String"),
        new("overflow-to-infinity", KeyOf, Text((d, n) => Body(d, n, "1e999")), "metric 't' is not a finite number"),
        new("missing-key", (d, n) => null, Text(Valid), "missing key: the record has no key"),
        new("empty-key", (d, n) => [], Text(Valid), "missing key: the record key is empty"),
        new("invalid-key", (d, n) => Key(d + " x"), Text((d, n) => Valid(d + " x", n)), "invalid key"),
        new("non-utf8-key", (d, n) => [.. Key(d), 0xFF], Text(Valid), "invalid key"),
        new("key-body-mismatch", KeyOf, Text((d, n) => Valid(d + "-other", n)), "disagree"),
        new("duplicate-device-id", KeyOf, Text((d, n) => $$$"""{"deviceId":"{{{d}}}","deviceId":"{{{d}}}","seq":{{{n}}},"ts":"{{{ValidTimestamp}}}","metrics":{"t":1}}"""), "duplicate member 'deviceId'"),
        new("missing-device-id", KeyOf, Text((d, n) => $$$"""{"seq":{{{n}}},"ts":"{{{ValidTimestamp}}}","metrics":{"t":1}}"""), "'deviceId' is required"),
        new("missing-ts", KeyOf, Text((d, n) => $$$"""{"deviceId":"{{{d}}}","seq":{{{n}}},"metrics":{"t":1}}"""), "'ts' is required"),
        new("no-metrics-or-props", KeyOf, Text((d, n) => $$$"""{"deviceId":"{{{d}}}","seq":{{{n}}},"ts":"{{{ValidTimestamp}}}"}"""), "a record needs 'metrics', 'props', 'reported', 'commandResult' or 'connection'"),
        new("ts-far-past-iso", KeyOf, Text((d, n) => WithTimestamp(d, n, "\"0001-01-01T00:00:00Z\"")), "is before 1970-01-01"),
        new("ts-far-past-epoch-ms", KeyOf, Text((d, n) => WithTimestamp(d, n, "-62135596800001")), "whole epoch milliseconds between 1970 and 9999"),
        new("ts-far-future-iso", KeyOf, Text((d, n) => WithTimestamp(d, n, "\"9999-12-31T23:59:59.9999999Z\"")), "ahead of the clock"),
        new("ts-far-future-epoch-ms", KeyOf, Text((d, n) => WithTimestamp(d, n, "253402300800000")), "whole epoch milliseconds between 1970 and 9999"),
        new("non-utf8-value", KeyOf, (d, n) => [.. Encoding.UTF8.GetBytes($$$"""{"deviceId":"{{{d}}}","seq":{{{n}}},"ts":"{{{ValidTimestamp}}}","props":{"site":"caf"""), 0xC3, 0x28, .. "\"}}"u8], "invalid UTF-8"),
        new("lone-surrogate", KeyOf, Text((d, n) => $$$"""{"deviceId":"{{{d}}}","seq":{{{n}}},"ts":"{{{ValidTimestamp}}}","metrics":{"\uD800":1}}"""), "invalid JSON"),
    ];

    /// <summary>Names of the kinds <see cref="Create"/> cycles over, in order.</summary>
    public static IReadOnlyList<string> Kinds { get; } = [.. SmallKinds.Select(k => k.Name)];

    /// <summary>Number of kinds <see cref="Create"/> cycles over.</summary>
    public static int KindCount => SmallKinds.Length;

    /// <summary>The poison record of kind <c>index % KindCount</c> for <paramref name="deviceId"/>; <paramref name="index"/> also varies its bytes where the kind allows.</summary>
    public static PoisonRecord Create(int index, string deviceId)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        var kind = SmallKinds[((index % SmallKinds.Length) + SmallKinds.Length) % SmallKinds.Length];
        return new PoisonRecord(kind.Name, kind.Key(deviceId, index), kind.Value(deviceId, index), kind.Reason);
    }

    /// <summary>
    /// A record whose value is exactly <paramref name="valueBytes"/> long (1 MiB unless told), otherwise valid, rejected for its
    /// size. Its bytes barely compress, so a 1 MiB one takes a fifth of a partition of the embedded cluster: make only a few.
    /// </summary>
    public static PoisonRecord CreateLarge(string deviceId, int valueBytes = LargeValueBytes)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        var head = Encoding.UTF8.GetBytes($$$"""{"deviceId":"{{{deviceId}}}","ts":"{{{ValidTimestamp}}}","metrics":{"t":1},"props":{"blob":""" + "\"");
        var tail = "\"}}"u8;
        ArgumentOutOfRangeException.ThrowIfLessThan(valueBytes, head.Length + tail.Length);
        var value = new byte[valueBytes];
        head.CopyTo(value, 0);
        tail.CopyTo(value.AsSpan(valueBytes - tail.Length));

        // xorshift64 seeded by the FNV-1a hash of the device id: the same bytes for the same device on every run.
        var state = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(deviceId))
        {
            state = (state ^ b) * 1099511628211UL;
        }

        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (var i = head.Length; i < valueBytes - tail.Length; i++)
        {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            value[i] = (byte)alphabet[(int)(state & 63)];
        }

        return new PoisonRecord("large-value", Key(deviceId), value, $"value of {valueBytes} bytes exceeds the limit of");
    }

    private static byte[]? KeyOf(string deviceId, int index) => Key(deviceId);

    private static byte[] Key(string deviceId) => Encoding.UTF8.GetBytes(deviceId);

    private static Func<string, int, byte[]> Text(Func<string, int, string> value) => (deviceId, index) => Encoding.UTF8.GetBytes(value(deviceId, index));

    private static string Valid(string deviceId, int index) => Body(deviceId, index, "1");

    private static string Body(string deviceId, int index, string metric) =>
        $$$"""{"deviceId":"{{{deviceId}}}","seq":{{{index}}},"ts":"{{{ValidTimestamp}}}","metrics":{"t":{{{metric}}}}}""";

    private static string WithTimestamp(string deviceId, int index, string ts) =>
        $$$"""{"deviceId":"{{{deviceId}}}","seq":{{{index}}},"ts":{{{ts}}},"metrics":{"t":1}}""";

    private sealed record Kind(string Name, Func<string, int, byte[]?> Key, Func<string, int, byte[]> Value, string Reason);
}
