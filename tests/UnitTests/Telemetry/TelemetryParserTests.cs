using System.Text;
using DeviceTwins.Grains.Interfaces.Models;
using DeviceTwins.Grains.Telemetry;
using DeviceTwins.Testing;

namespace DeviceTwins.UnitTests.Telemetry;

public sealed class TelemetryParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private static readonly TelemetryLimits Limits = new();

    [Fact]
    public void TryParse_ValidIsoRecord_ReturnsEveryField()
    {
        var ok = Parse("pump-17", """{"deviceId":"pump-17","ts":"2026-11-27T10:00:00Z","metrics":{"temperature":21.5,"pressure":1.02},"props":{"firmware":"1.4.2"}}""", out var telemetry, out var error);

        Assert.True(ok, error);
        Assert.Equal("pump-17", telemetry!.DeviceId);
        Assert.Equal(Now, telemetry.Timestamp);
        Assert.Equal([new MetricSample("temperature", 21.5), new MetricSample("pressure", 1.02)], telemetry.Metrics);
        Assert.Equal([new PropertySample("firmware", "\"1.4.2\"")], telemetry.Properties);
        Assert.Equal(("iot.telemetry", 3, 42L), (telemetry.Topic, telemetry.Partition, telemetry.Offset));
    }

    [Fact]
    public void TryParse_EpochMilliseconds_IsEventTime()
    {
        Assert.True(Parse("d1", """{"deviceId":"d1","ts":1795780800000,"metrics":{"t":1}}""", out var telemetry, out _));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1795780800000), telemetry!.Timestamp);
    }

    [Fact]
    public void TryParse_IsoWithOffset_IsNormalisedToUtc()
    {
        Assert.True(Parse("d1", """{"deviceId":"d1","ts":"2026-11-27T12:00:00+02:00","metrics":{"t":1}}""", out var telemetry, out _));
        Assert.Equal(Now, telemetry!.Timestamp);
        Assert.Equal(TimeSpan.Zero, telemetry.Timestamp.Offset);
    }

    [Fact]
    public void TryParse_NestedProps_KeepRawJson()
    {
        Assert.True(Parse("d1", """{"deviceId":"d1","ts":"2026-11-27T10:00:00Z","props":{"net":{"ssid":"plant","rssi":-61},"tags":["a","b"],"on":true}}""", out var telemetry, out _));
        Assert.Equal(
            [new PropertySample("net", """{"ssid":"plant","rssi":-61}"""), new PropertySample("tags", """["a","b"]"""), new PropertySample("on", "true")],
            telemetry!.Properties);
        Assert.Empty(telemetry.Metrics);
    }

    [Fact]
    public void TryParse_UnknownMembers_AreIgnored()
    {
        Assert.True(Parse("d1", """{"schema":2,"deviceId":"d1","extra":{"a":[1,2]},"ts":"2026-11-27T10:00:00Z","metrics":{"t":1}}""", out var telemetry, out _));
        Assert.Single(telemetry!.Metrics);
    }

    [Theory]
    [InlineData("d1", "not json", "invalid JSON")]
    [InlineData("d1", "[1,2]", "must be a JSON object")]
    [InlineData("d1", """{"deviceId":"d2","ts":"2026-11-27T10:00:00Z","metrics":{"t":1}}""", "key 'd1' and body deviceId 'd2' disagree")]
    [InlineData("d1", """{"ts":"2026-11-27T10:00:00Z","metrics":{"t":1}}""", "'deviceId' is required")]
    [InlineData("d1", """{"deviceId":"d1","metrics":{"t":1}}""", "'ts' is required")]
    [InlineData("d1", """{"deviceId":"d1","ts":"2026-11-27T10:00:00","metrics":{"t":1}}""", "'ts' must be ISO-8601 with 'Z' or an offset")]
    [InlineData("d1", """{"deviceId":"d1","ts":"yesterday","metrics":{"t":1}}""", "'ts' must be ISO-8601 with 'Z' or an offset")]
    [InlineData("d1", """{"deviceId":"d1","ts":1.5,"metrics":{"t":1}}""", "whole epoch milliseconds")]
    [InlineData("d1", """{"deviceId":"d1","ts":true,"metrics":{"t":1}}""", "'ts' must be an ISO-8601 string or epoch milliseconds")]
    [InlineData("d1", """{"deviceId":"d1","ts":"2027-01-01T00:00:00Z","metrics":{"t":1}}""", "ahead of the clock")]
    [InlineData("d1", """{"deviceId":"d1","ts":"2026-11-27T10:00:00Z","metrics":{"t":"hot"}}""", "metric 't' must be a number, not String")]
    [InlineData("d1", """{"deviceId":"d1","ts":"2026-11-27T10:00:00Z","metrics":{"t":NaN}}""", "invalid JSON")]
    [InlineData("d1", """{"deviceId":"d1","ts":"2026-11-27T10:00:00Z","metrics":{"t":1e999}}""", "metric 't' is not a finite number")]
    [InlineData("d1", """{"deviceId":"d1","ts":"2026-11-27T10:00:00Z","metrics":[1]}""", "'metrics' must be an object of numbers")]
    [InlineData("d1", """{"deviceId":"d1","ts":"2026-11-27T10:00:00Z"}""", "a record needs 'metrics', 'props', 'reported', 'commandResult' or 'connection'")]
    [InlineData("d1", """{"deviceId":"d1","ts":"2026-11-27T10:00:00Z","metrics":{"t":1}} {}""", "invalid JSON")]
    [InlineData("", """{"deviceId":"","ts":"2026-11-27T10:00:00Z","metrics":{"t":1}}""", "missing key: the record key is empty; it must be the device id")]
    [InlineData("bad key", """{"deviceId":"bad key","ts":"2026-11-27T10:00:00Z","metrics":{"t":1}}""", "invalid key")]
    [InlineData("d1", "", "empty value")]
    public void TryParse_InvalidRecord_IsRejectedWithReason(string key, string value, string expectedReason)
    {
        var ok = Parse(key, value, out var telemetry, out var error);

        Assert.False(ok);
        Assert.Null(telemetry);
        Assert.Contains(expectedReason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_OversizedValue_IsRejectedBeforeParsing()
    {
        var value = """{"deviceId":"d1","ts":"2026-11-27T10:00:00Z","props":{"blob":""" + "\"" + new string('x', 70_000) + "\"}}";

        Assert.False(Parse("d1", value, out _, out var error));
        Assert.Equal($"value of {Encoding.UTF8.GetByteCount(value)} bytes exceeds the limit of 65536 bytes", error);
    }

    [Fact]
    public void TryParse_OlderThanMaxAge_IsRejectedOnlyWhenLimitSet()
    {
        const string old = """{"deviceId":"d1","ts":"2001-01-01T00:00:00Z","metrics":{"t":1}}""";
        Assert.True(Parse("d1", old, out _, out _));
        Assert.False(TelemetryParser.TryParse("d1"u8, Encoding.UTF8.GetBytes(old), "t", 0, 0, Limits with { MaxAge = TimeSpan.FromDays(30) }, Now, out _, out var error));
        Assert.Contains("old", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("42")]
    [InlineData("\"d1\"")]
    [InlineData("null")]
    [InlineData("true")]
    [InlineData("[]")]
    public void TryParse_DocumentNotAnObject_IsRejected(string value)
    {
        Assert.False(Parse("d1", value, out _, out var error));
        Assert.Equal("the value must be a JSON object", error);
    }

    [Theory]
    [InlineData("""{"deviceId":"d1","deviceId":"d1","ts":"2026-11-27T10:00:00Z","metrics":{"t":1}}""", "deviceId")]
    [InlineData("""{"deviceId":"d1","ts":"2026-11-27T10:00:00Z","ts":"2026-11-27T09:00:00Z","metrics":{"t":1}}""", "ts")]
    [InlineData("""{"deviceId":"d1","ts":"2026-11-27T10:00:00Z","metrics":{"t":1},"metrics":{"u":2}}""", "metrics")]
    [InlineData("""{"deviceId":"d1","ts":"2026-11-27T10:00:00Z","props":{"a":1},"props":{"b":2}}""", "props")]
    public void TryParse_DuplicateMember_IsRejected(string value, string member)
    {
        Assert.False(Parse("d1", value, out _, out var error));
        Assert.Equal($"duplicate member '{member}'", error);
    }

    [Theory]
    [InlineData("1e999")]
    [InlineData("-1e999")]
    public void TryParse_MetricOverflowingToInfinity_IsRejected(string number)
    {
        Assert.False(Parse("d1", $$$"""{"deviceId":"d1","ts":"2026-11-27T10:00:00Z","metrics":{"t":{{{number}}}}}""", out _, out var error));
        Assert.Equal("metric 't' is not a finite number", error);
    }

    [Theory]
    [InlineData("NaN", "invalid JSON: 'N' is an invalid start of a value. LineNumber: 0 | BytePositionInLine: 60.")]
    [InlineData("Infinity", "invalid JSON: 'I' is an invalid start of a value. LineNumber: 0 | BytePositionInLine: 60.")]
    [InlineData("-Infinity", "invalid JSON: 'I' is invalid within a number, immediately after a sign character ('+' or '-'). Expected a digit ('0'-'9'). LineNumber: 0 | BytePositionInLine: 61.")]
    [InlineData("\"NaN\"", "metric 't' must be a number, not String")]
    [InlineData("\"Infinity\"", "metric 't' must be a number, not String")]
    public void TryParse_NonFiniteMetricSpelling_IsRejected(string number, string expected)
    {
        Assert.False(Parse("d1", $$$"""{"deviceId":"d1","ts":"2026-11-27T10:00:00Z","metrics":{"t":{{{number}}}}}""", out _, out var error));
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData("-62135596800001")]
    [InlineData("253402300800000")]
    [InlineData("-1")]
    [InlineData("1e30")]
    [InlineData("99999999999999999999999")]
    public void TryParse_EpochMillisecondsOutOfRange_IsRejected(string ts)
    {
        Assert.False(Parse("d1", $$$"""{"deviceId":"d1","ts":{{{ts}}},"metrics":{"t":1}}""", out _, out var error));
        Assert.Equal("'ts' as a number must be whole epoch milliseconds between 1970 and 9999", error);
    }

    [Theory]
    [InlineData("0001-01-01T00:00:00Z", "'ts' 0001-01-01T00:00:00.0000000+00:00 is before 1970-01-01T00:00:00Z")]
    [InlineData("1969-12-31T23:59:59.999Z", "'ts' 1969-12-31T23:59:59.9990000+00:00 is before 1970-01-01T00:00:00Z")]
    [InlineData("0001-01-01T00:00:00+01:00", "'ts' must be ISO-8601 with 'Z' or an offset, or epoch milliseconds")]
    [InlineData("9999-12-31T23:59:59.9999999Z", "'ts' 9999-12-31T23:59:59.9999999+00:00 is more than 1.00:00:00 ahead of the clock")]
    [InlineData("9999-12-31T23:59:59-01:00", "'ts' must be ISO-8601 with 'Z' or an offset, or epoch milliseconds")]
    [InlineData("10000-01-01T00:00:00Z", "'ts' must be ISO-8601 with 'Z' or an offset, or epoch milliseconds")]
    public void TryParse_IsoTimestampAtTheEdgesOfTime_IsRejectedWithReason(string ts, string expected)
    {
        Assert.False(Parse("d1", $$$"""{"deviceId":"d1","ts":"{{{ts}}}","metrics":{"t":1}}""", out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void TryParse_UnixEpoch_IsAccepted()
    {
        Assert.True(Parse("d1", """{"deviceId":"d1","ts":0,"metrics":{"t":1}}""", out var fromMillis, out _));
        Assert.True(Parse("d1", """{"deviceId":"d1","ts":"1970-01-01T00:00:00Z","metrics":{"t":1}}""", out var fromIso, out _));
        Assert.Equal(DateTimeOffset.UnixEpoch, fromMillis!.Timestamp);
        Assert.Equal(DateTimeOffset.UnixEpoch, fromIso!.Timestamp);
    }

    [Fact]
    public void TryParse_LimitsBeyondTheCalendar_CompareWithoutOverflow()
    {
        var unbounded = Limits with { MaxFutureSkew = TimeSpan.MaxValue, MaxAge = TimeSpan.MaxValue };

        Assert.True(TelemetryParser.TryParse("d1"u8, """{"deviceId":"d1","ts":253402300799999,"metrics":{"t":1}}"""u8, "t", 0, 0, unbounded, Now, out var last, out var error), error);
        Assert.True(TelemetryParser.TryParse("d1"u8, """{"deviceId":"d1","ts":0,"metrics":{"t":1}}"""u8, "t", 0, 0, unbounded, Now, out var first, out error), error);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(253_402_300_799_999), last!.Timestamp);
        Assert.Equal(DateTimeOffset.UnixEpoch, first!.Timestamp);
    }

    [Fact]
    public void TryParse_NonUtf8Value_IsRejected()
    {
        byte[] value = [.. """{"deviceId":"d1","ts":"2026-11-27T10:00:00Z","props":{"site":"caf"""u8, 0xC3, 0x28, .. "\"}}"u8];

        Assert.False(TelemetryParser.TryParse("d1"u8, value, "t", 0, 0, Limits, Now, out _, out var error));
        Assert.Equal("invalid UTF-8: the value must be UTF-8 JSON", error);
    }

    [Theory]
    [InlineData("\\uD800", "invalid JSON: Cannot read incomplete UTF-16 JSON text as string with missing low surrogate.")]
    [InlineData("\\uD800\\u0041", "invalid JSON: Cannot read invalid UTF-16 JSON text as string. Invalid surrogate value: '0x41'.")]
    [InlineData("\\uDC00", "invalid JSON: Cannot read invalid UTF-16 JSON text as string. Invalid surrogate value: '0xDC00'.")]
    public void TryParse_EscapedLoneSurrogateInAName_IsRejectedAsInvalidJson(string name, string expected)
    {
        Assert.False(Parse("d1", $$$"""{"deviceId":"d1","ts":"2026-11-27T10:00:00Z","metrics":{"{{{name}}}":1}}""", out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void TryParse_NestedDeeperThanTheLimit_IsRejectedAsInvalidJson()
    {
        var value = """{"deviceId":"d1","ts":"2026-11-27T10:00:00Z","props":{"deep":""" + new string('[', 64) + new string(']', 64) + "}}";

        Assert.False(Parse("d1", value, out _, out var error));
        Assert.Equal("invalid JSON: The maximum configured depth of 16 has been exceeded. Cannot read next JSON array. LineNumber: 0 | BytePositionInLine: 75.", error);
    }

    [Fact]
    public void TryParse_LongBodyDeviceId_IsQuotedShortInTheReason()
    {
        var other = new string('x', 1000);

        Assert.False(Parse("d1", $$$"""{"deviceId":"{{{other}}}","ts":"2026-11-27T10:00:00Z","metrics":{"t":1}}""", out _, out var error));
        Assert.Equal($"key 'd1' and body deviceId '{new string('x', 128)}...' disagree", error);
    }

    [Fact]
    public void TryParse_OneMebibyteValue_IsRejectedForItsSize()
    {
        var large = PoisonRecords.CreateLarge("d1");

        Assert.False(TelemetryParser.TryParse(large.Key, large.Value, "t", 0, 0, Limits, Now, out _, out var error));
        Assert.Equal("value of 1048576 bytes exceeds the limit of 65536 bytes", error);
    }

    [Fact]
    public void TryParse_EveryTruncationAndByteFlipOfARecord_ReturnsAReasonWithoutThrowing()
    {
        var valid = Encoding.UTF8.GetBytes("""{"deviceId":"d1","ts":"2026-11-27T10:00:00.5+02:00","metrics":{"t":-1.5e3,"u":0},"props":{"n":{"a":[1,"\u00e9",null]}}}""");
        var rejected = 0;
        for (var length = 0; length < valid.Length; length++)
        {
            rejected += Rejects(valid[..length]);
        }

        for (var i = 0; i < valid.Length; i++)
        {
            foreach (var b in new byte[] { 0x00, 0x22, 0x5C, 0x7B, 0x7D, 0x80, 0xFF })
            {
                var mutated = (byte[])valid.Clone();
                mutated[i] = b;
                rejected += Rejects(mutated);
            }
        }

        Assert.True(Parse("d1", Encoding.UTF8.GetString(valid), out _, out var error), error);
        Assert.True(rejected > valid.Length, $"{rejected} rejected");

        static int Rejects(byte[] value)
        {
            var ok = TelemetryParser.TryParse("d1"u8, value, "t", 0, 0, Limits, Now, out var telemetry, out var error);
            Assert.True(ok ? telemetry is not null && error is null : telemetry is null && !string.IsNullOrEmpty(error));
            return ok ? 0 : 1;
        }
    }

    [Fact]
    public void TryParse_NamesOfTwoRecords_AreOneSharedString_EscapedOrNot()
    {
        Assert.True(Parse("d1", """{"deviceId":"d1","ts":1795780800000,"metrics":{"vibration":1},"props":{"firmware":"1"}}""", out var first, out _));
        Assert.True(Parse("d2", """{"deviceId":"d2","ts":1795780800000,"metrics":{"vibr\u0061tion":2},"props":{"firmware":"2"}}""", out var second, out _));

        Assert.Same(first!.Metrics[0].Name, second!.Metrics[0].Name);
        Assert.Same(first.Properties[0].Name, second.Properties[0].Name);
        Assert.Same(DeviceTwins.Analytics.NameTable.Shared("vibration"), first.Metrics[0].Name);
    }

    [Fact]
    public void TryParse_NameLongerThanTheLimit_IsRejected_EvenPastTheStackBuffer()
    {
        var name = new string('m', 300);
        Assert.False(Parse("d1", """{"deviceId":"d1","ts":1795780800000,"metrics":{""" + "\"" + name + "\":1}}", out _, out var error));
        Assert.Contains("metric names must be 1-", error, StringComparison.Ordinal);
    }

    private static bool Parse(string key, string value, out TelemetryEvent? telemetry, out string? error) =>
        TelemetryParser.TryParse(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(value), "iot.telemetry", 3, 42, Limits, Now, out telemetry, out error);
}
