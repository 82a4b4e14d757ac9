using DeviceTwins.Grains.Interfaces.Models;
using DeviceTwins.Grains.Telemetry;

namespace DeviceTwins.UnitTests.Telemetry;

/// <summary>The <c>reported</c> member of a telemetry record: a merge patch of the reported document.</summary>
public sealed class ReportedRecordTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Parse_ReportedAlone_IsAValidRecordCarryingThePatchText()
    {
        Assert.True(Parse("""{"deviceId":"d1","ts":"2026-11-27T10:00:00Z","reported":{"cfg":{"rate":5,"mode":null},"ch":[1,2]}}""", out var telemetry, out var error), error);

        Assert.Equal("""{"cfg":{"rate":5,"mode":null},"ch":[1,2]}""", telemetry!.Reported);
        Assert.Empty(telemetry.Metrics);
        Assert.Empty(telemetry.Properties);
        Assert.Equal(42, telemetry.Offset);
    }

    [Fact]
    public void Parse_NoReported_LeavesItNull()
    {
        Assert.True(Parse("""{"deviceId":"d1","ts":"2026-11-27T10:00:00Z","metrics":{"t":1}}""", out var telemetry, out _));

        Assert.Null(telemetry!.Reported);
    }

    [Theory]
    [InlineData("""{"deviceId":"d1","ts":"2026-11-27T10:00:00Z","reported":[1]}""", "'reported' must be an object (a JSON merge patch of the reported properties)")]
    [InlineData("""{"deviceId":"d1","ts":"2026-11-27T10:00:00Z","reported":null}""", "'reported' must be an object (a JSON merge patch of the reported properties)")]
    [InlineData("""{"deviceId":"d1","ts":"2026-11-27T10:00:00Z","reported":{"a":1},"reported":{"b":2}}""", "duplicate member 'reported'")]
    public void Parse_BadReported_IsRejectedWithItsReason(string value, string expected)
    {
        Assert.False(Parse(value, out _, out var error));

        Assert.Equal(expected, error);
    }

    private static bool Parse(string value, out TelemetryEvent? telemetry, out string? error) =>
        TelemetryParser.TryParse("d1"u8, System.Text.Encoding.UTF8.GetBytes(value), "iot.telemetry", 0, 42, new TelemetryLimits(), Now, out telemetry, out error);
}
