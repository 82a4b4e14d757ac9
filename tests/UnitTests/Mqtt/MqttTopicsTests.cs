using DeviceTwins.Mqtt;

namespace DeviceTwins.UnitTests.Mqtt;

public sealed class MqttTopicsTests
{
    [Theory]
    [InlineData("devices/pump-1/telemetry", MqttPublishKind.Telemetry, null)]
    [InlineData("devices/pump-1/commands/c42/result", MqttPublishKind.CommandResult, "c42")]
    [InlineData("devices/pump-2/telemetry", MqttPublishKind.Refused, null)]
    [InlineData("devices/pump-1/telemetry/extra", MqttPublishKind.Refused, null)]
    [InlineData("devices/pump-1/commands//result", MqttPublishKind.Refused, null)]
    [InlineData("devices/pump-1/commands/a/b/result", MqttPublishKind.Refused, null)]
    [InlineData("devices/pump-1/commands", MqttPublishKind.Refused, null)]
    [InlineData("devices/pump-10/telemetry", MqttPublishKind.Refused, null)]
    [InlineData("other/pump-1/telemetry", MqttPublishKind.Refused, null)]
    public void Classify_OwnTopicsOnly(string topic, MqttPublishKind expected, string? commandId)
    {
        Assert.Equal((expected, commandId), (MqttTopics.Classify("pump-1", topic, out var id), id));
    }

    [Theory]
    [InlineData("devices/pump-1/commands", true)]
    [InlineData("devices/pump-1/#", false)]
    [InlineData("devices/+/commands", false)]
    [InlineData("devices/pump-2/commands", false)]
    [InlineData("#", false)]
    public void MaySubscribe_ItsCommandsOnly(string filter, bool expected) =>
        Assert.Equal(expected, MqttTopics.MaySubscribe("pump-1", filter));

    [Fact]
    public void Records_CommandResultAndConnection_AreValidTelemetryOfTheDevice()
    {
        var now = new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);
        var result = BridgeRecords.CommandResult("pump-1", "c42", """{"status":"failed","payload":{"code":7}}"""u8, now, out var error);
        Assert.Null(error);
        Assert.Equal("""{"deviceId":"pump-1","ts":1796551200000,"commandResult":{"commandId":"c42","status":"failed","payload":{"code":7}}}""", System.Text.Encoding.UTF8.GetString(result!));
        Assert.Null(BridgeRecords.CheckTelemetry("pump-1", result, now));
        Assert.Null(BridgeRecords.CheckTelemetry("pump-1", BridgeRecords.Connection("pump-1", connected: false, now), now));
        Assert.Null(BridgeRecords.CheckTelemetry("pump-1", BridgeRecords.Accepted("pump-1", "c42", now), now));
        Assert.Null(BridgeRecords.CommandResult("pump-1", "c42", """{"status":"accepted"}"""u8, now, out error));
        Assert.Equal("'status' must be \"succeeded\" or \"failed\"", error);
        Assert.Equal("c42", BridgeRecords.CommandIdOf("""{"commandId":"c42","deviceId":"pump-1"}"""u8));
        Assert.Null(BridgeRecords.CommandIdOf("not json"u8));
    }

    [Theory]
    [InlineData("BindAddress", "localhost", "Mqtt:BindAddress must be an IP address")]
    [InlineData("Port", "70000", "Mqtt:Port must be a port")]
    [InlineData("MaxPayloadBytes", "10", "Mqtt:MaxPayloadBytes must be 256 bytes to 4 MiB.")]
    [InlineData("TlsCertificatePath", "/nonexistent/tls.pfx", "Mqtt:TlsCertificatePath names no file")]
    public void Validator_BadSetting_NamesTheKey(string key, string value, string expected)
    {
        var options = new MqttBridgeOptions();
        typeof(MqttBridgeOptions).GetProperty(key)!.SetValue(options, key is "Port" or "MaxPayloadBytes" ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : value);
        var result = new MqttBridgeOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Validator_NoPlainListenerWithoutTls_Refused()
    {
        var result = new MqttBridgeOptionsValidator().Validate(null, new MqttBridgeOptions { Port = -1 });
        Assert.Contains(result.Failures!, f => f.Contains("needs TlsCertificatePath", StringComparison.Ordinal));
    }
}
