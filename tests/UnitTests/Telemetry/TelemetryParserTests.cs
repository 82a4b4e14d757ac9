using System.Text;
using DeviceTwins.Grains.Interfaces.Models;
using DeviceTwins.Grains.Telemetry;

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
    [InlineData("d1", """{"deviceId":"d1","ts":"2026-11-27T10:00:00Z"}""", "a record needs 'metrics' or 'props'")]
    [InlineData("d1", """{"deviceId":"d1","ts":"2026-11-27T10:00:00Z","metrics":{"t":1}} {}""", "invalid JSON")]
    [InlineData("", """{"deviceId":"","ts":"2026-11-27T10:00:00Z","metrics":{"t":1}}""", "missing key")]
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

    private static bool Parse(string key, string value, out TelemetryEvent? telemetry, out string? error) =>
        TelemetryParser.TryParse(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(value), "iot.telemetry", 3, 42, Limits, Now, out telemetry, out error);
}
