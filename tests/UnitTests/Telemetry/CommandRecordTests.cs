using DeviceTwins.Grains.Interfaces.Commands;
using DeviceTwins.Grains.Interfaces.Models;
using DeviceTwins.Grains.Telemetry;

namespace DeviceTwins.UnitTests.Telemetry;

/// <summary>The <c>commandResult</c> and <c>connection</c> members of a telemetry record.</summary>
public sealed class CommandRecordTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Parse_CommandResultAlone_IsAValidRecordCarryingTheReport()
    {
        Assert.True(Parse("""{"deviceId":"d1","ts":"2026-12-06T10:00:00Z","commandResult":{"commandId":"c1","status":"succeeded","payload":{"uptime":3}}}""", out var telemetry, out var error), error);

        Assert.Equal(new CommandResultReport("c1", CommandState.Succeeded, """{"uptime":3}"""), telemetry!.CommandResult);
        Assert.Null(telemetry.Connection);
    }

    [Theory]
    [InlineData("connected", DeviceConnection.Connected)]
    [InlineData("disconnected", DeviceConnection.Disconnected)]
    public void Parse_ConnectionAlone_IsAValidRecord(string value, DeviceConnection expected)
    {
        Assert.True(Parse($$"""{"deviceId":"d1","ts":"2026-12-06T10:00:00Z","connection":"{{value}}"}""", out var telemetry, out var error), error);

        Assert.Equal(expected, telemetry!.Connection);
    }

    [Theory]
    [InlineData("""{"deviceId":"d1","ts":"2026-12-06T10:00:00Z","commandResult":{"commandId":"c1","status":"done"}}""", "'commandResult.status' must be \"accepted\", \"succeeded\" or \"failed\"")]
    [InlineData("""{"deviceId":"d1","ts":"2026-12-06T10:00:00Z","commandResult":{"status":"failed"}}""", "'commandResult' needs 'commandId' and 'status'")]
    [InlineData("""{"deviceId":"d1","ts":"2026-12-06T10:00:00Z","commandResult":{"commandId":"","status":"failed"}}""", "'commandResult.commandId' must be a string of 1-64 characters")]
    [InlineData("""{"deviceId":"d1","ts":"2026-12-06T10:00:00Z","commandResult":"c1"}""", "'commandResult' must be an object with 'commandId' and 'status'")]
    [InlineData("""{"deviceId":"d1","ts":"2026-12-06T10:00:00Z","connection":"maybe"}""", "'connection' must be \"connected\" or \"disconnected\"")]
    [InlineData("""{"deviceId":"d1","ts":"2026-12-06T10:00:00Z","connection":"connected","connection":"connected"}""", "duplicate member 'connection'")]
    public void Parse_BadCommandMembers_AreRejectedWithTheirReason(string value, string expected)
    {
        Assert.False(Parse(value, out _, out var error));

        Assert.Equal(expected, error);
    }

    private static bool Parse(string value, out TelemetryEvent? telemetry, out string? error) =>
        TelemetryParser.TryParse("d1"u8, System.Text.Encoding.UTF8.GetBytes(value), "iot.telemetry", 0, 42, new TelemetryLimits(), Now, out telemetry, out error);
}
