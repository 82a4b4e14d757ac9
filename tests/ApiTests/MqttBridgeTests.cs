using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using DeviceTwins.ClusterTests;
using DeviceTwins.Testing;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace DeviceTwins.ApiTests;

/// <summary>
/// The MQTT bridge with real clients (MQTTnet 5 and 3.1.1, mosquitto_pub and mosquitto_sub): device credentials issued
/// and revoked over the API, telemetry acknowledged once in Kafka and applied by the twin, commands delivered and
/// answered, and every refusal with its reason.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class MqttBridgeTests(ApiFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Telemetry_QoS1_AcknowledgedThenAppliedByTheTwin()
    {
        var id = ApiFixture.NewDeviceId("mqtt");
        var secret = await IssueAsync(id);
        using var device = await ConnectAsync(id, secret);
        var result = await device.PublishAsync(Message(MqttTopicsOf(id).Telemetry, Telemetry(id, 21.5)));
        Assert.Equal(MqttClientPublishReasonCode.Success, result.ReasonCode);
        var twin = await fixture.Reader.WaitForMessageCountAsync(id, 2);
        Assert.Equal(21.5, twin.GetProperty("metrics").GetProperty("temperature").GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task MosquittoClients_PublishTelemetry_ReceiveAndAnswerACommand_Succeeded()
    {
        var id = ApiFixture.NewDeviceId("mosq");
        var secret = await IssueAsync(id);
        using (var pub = Mosquitto("mosquitto_pub", id, secret, "-q", "1", "-t", MqttTopicsOf(id).Telemetry, "-m", Telemetry(id, 7)))
        {
            await pub.WaitForExitAsync().WaitAsync(Timeout);
            Assert.Equal(0, pub.ExitCode);
        }

        await fixture.Reader.WaitForMessageCountAsync(id, 3);
        using var sub = Mosquitto("mosquitto_sub", id, secret, "-q", "1", "-t", MqttTopicsOf(id).Commands, "-C", "1");
        await Eventually.Until(
            async () => (await fixture.Reader.GetJsonAsync($"/api/devices/{id}")).GetProperty("messageCount").GetInt64(),
            count => count >= 4,
            Timeout,
            "the subscriber's connection on the twin");
        var command = await SubmitAsync(id, """{"name":"reboot","payload":{"delay":1}}""");
        var line = await sub.StandardOutput.ReadLineAsync().WaitAsync(Timeout);
        var delivery = JsonDocument.Parse(line!).RootElement;
        Assert.Equal((command, "reboot", """{"delay":1}"""), (delivery.GetProperty("commandId").GetString(), delivery.GetProperty("name").GetString(), delivery.GetProperty("payload").GetRawText()));
        await fixture.Reader.WaitForCommandStateAsync(id, command, "accepted");
        using (var answer = Mosquitto("mosquitto_pub", id, secret, "-q", "1", "-t", $"devices/{id}/commands/{command}/result", "-m", """{"status":"succeeded","payload":{"rebooted":true}}"""))
        {
            await answer.WaitForExitAsync().WaitAsync(Timeout);
            Assert.Equal(0, answer.ExitCode);
        }

        var done = await fixture.Reader.WaitForCommandStateAsync(id, command, "succeeded");
        Assert.Equal("""{"rebooted":true}""", done.GetProperty("result").GetRawText());
    }

    [Fact]
    public async Task Commands_OfflineDeviceKeepsItsQueue_DeliveredWhenItConnects_OneAtATimeInOrder()
    {
        var id = ApiFixture.NewDeviceId("mqtt-cmd");
        var secret = await IssueAsync(id);
        using (await ConnectAsync(id, secret))
        {
        }

        // Connected, then gone: the twin knows it is offline.
        await Eventually.Until(
            async () => (await fixture.Reader.GetJsonAsync($"/api/devices/{id}")).GetProperty("messageCount").GetInt64(),
            count => count >= 2,
            Timeout,
            "connected and disconnected on the twin");
        var first = await SubmitAsync(id, """{"name":"first"}""");
        var second = await SubmitAsync(id, """{"name":"second"}""");
        Assert.Equal("queued", CommandRequests.StateOf(await fixture.Reader.GetJsonAsync($"/api/devices/{id}/commands/{first}")));

        var received = Channel.CreateUnbounded<JsonElement>();
        using var device = await ConnectAsync(id, secret, received: received.Writer);
        var delivered = await NextDeliveryAsync(received.Reader, id, first);
        Assert.Equal((first, 1), (delivered.GetProperty("commandId").GetString(), delivered.GetProperty("attempt").GetInt32()));
        await fixture.Reader.WaitForCommandStateAsync(id, first, "accepted");
        Assert.Equal("queued", CommandRequests.StateOf(await fixture.Reader.GetJsonAsync($"/api/devices/{id}/commands/{second}")));
        await device.PublishAsync(Message($"devices/{id}/commands/{first}/result", """{"status":"failed","payload":{"error":"busy"}}"""));
        await fixture.Reader.WaitForCommandStateAsync(id, first, "failed");
        var next = await NextDeliveryAsync(received.Reader, id, second);
        Assert.Equal(second, next.GetProperty("commandId").GetString());
        await fixture.Reader.WaitForCommandStateAsync(id, second, "accepted");
    }

    [Fact]
    public async Task Commands_DeviceDropsBeforeAcknowledging_SentAgainOnReconnect_RunsOnce_Succeeds()
    {
        var id = ApiFixture.NewDeviceId("mqtt-drop");
        var secret = await IssueAsync(id);
        var executed = new List<string>();

        // The device receives the delivery but drops before acknowledging it (no PUBACK).
        var unacknowledged = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var dropping = new MqttClientFactory().CreateMqttClient();
        dropping.ApplicationMessageReceivedAsync += e =>
        {
            e.AutoAcknowledge = false;
            unacknowledged.TrySetResult(JsonDocument.Parse(System.Buffers.BuffersExtensions.ToArray(e.ApplicationMessage.Payload)).RootElement.GetProperty("commandId").GetString()!);
            return Task.CompletedTask;
        };
        Assert.Equal(MqttClientConnectResultCode.Success, (await dropping.ConnectAsync(Options(id, secret, MqttProtocolVersion.V500))).ResultCode);
        await dropping.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(MqttTopicsOf(id).Commands, MqttQualityOfServiceLevel.AtLeastOnce).Build());
        var command = await SubmitAsync(id, """{"name":"valve-open","payload":{"valve":3}}""");
        Assert.Equal(command, await unacknowledged.Task.WaitAsync(Timeout));
        dropping.Dispose();
        Assert.Equal("sent", CommandRequests.StateOf(await fixture.Reader.GetJsonAsync($"/api/devices/{id}/commands/{command}")));

        // Back: the command comes again (same id, a later attempt); the device runs each command id once.
        var received = Channel.CreateUnbounded<JsonElement>();
        using var device = await ConnectAsync(id, secret, received: received.Writer);
        var again = await NextDeliveryAsync(received.Reader, id, command);
        Assert.Equal(command, again.GetProperty("commandId").GetString());
        Assert.True(again.GetProperty("attempt").GetInt32() >= 2, $"attempt {again.GetProperty("attempt")}");
        if (!executed.Contains(command))
        {
            executed.Add(command);
        }

        await fixture.Reader.WaitForCommandStateAsync(id, command, "accepted");
        await device.PublishAsync(Message($"devices/{id}/commands/{command}/result", """{"status":"succeeded"}"""));
        var done = await fixture.Reader.WaitForCommandStateAsync(id, command, "succeeded");
        // Ran once. The twin counts its sends (a connection record that reaches it after a send to an open connection
        // is one more), the bridge delivers a command to one connection once.
        Assert.Single(executed);
        Assert.True(done.GetProperty("attempt").GetInt32() >= again.GetProperty("attempt").GetInt32());
        // Accepted, then succeeded: not delivered again.
        Assert.False(received.Reader.TryRead(out _));
    }

    [Fact]
    public async Task Connect_WrongSecretUnknownDeviceOrRevokedCredential_Refused_ConnectedOneIsDisconnected()
    {
        var id = ApiFixture.NewDeviceId("mqtt-auth");
        var secret = await IssueAsync(id);
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, await TryConnectAsync(id, "dts_wrong"));
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, await TryConnectAsync(ApiFixture.NewDeviceId("never"), secret));
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, await TryConnectAsync(id, secret, username: "someone-else"));

        var disconnected = new TaskCompletionSource<MqttClientDisconnectReason>();
        using var device = await ConnectAsync(id, secret);
        device.DisconnectedAsync += e =>
        {
            disconnected.TrySetResult(e.Reason);
            return Task.CompletedTask;
        };
        var credentials = (await fixture.Reader.GetJsonAsync($"/api/devices/{id}/credentials")).EnumerateArray().ToList();
        var credentialId = Assert.Single(credentials).GetProperty("id").GetString();
        Assert.False(credentials[0].TryGetProperty("secret", out _));
        using (var revoked = await fixture.Writer.DeleteAsync(new Uri($"/api/devices/{id}/credentials/{credentialId}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        }

        Assert.Equal(MqttClientDisconnectReason.NotAuthorized, await disconnected.Task.WaitAsync(Timeout));
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, await TryConnectAsync(id, secret));

        // Issued and revoked, both audited, never with the secret.
        var audit = await TopicReader.ReadKeyedAsync(fixture.Broker.BootstrapServers, fixture.Kafka.AuditTopic, id, r => r.Count >= 2);
        Assert.Equal(["credential.issue", "credential.revoke"], audit.Select(r => JsonDocument.Parse(r.Message.Value!).RootElement.GetProperty("action").GetString()));
        Assert.DoesNotContain(audit, r => Encoding.UTF8.GetString(r.Message.Value!).Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Publish_OtherTopicsBadPayloadOrTooLarge_ReasonCodes_DeadLettered_OtherDevicesUnaffected()
    {
        var id = ApiFixture.NewDeviceId("mqtt-bad");
        using var device = await ConnectAsync(id, await IssueAsync(id));
        var foreign = await device.PublishAsync(Message($"devices/{id}-other/telemetry", Telemetry(id + "-other", 1)));
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, foreign.ReasonCode);
        var notJson = await device.PublishAsync(Message(MqttTopicsOf(id).Telemetry, "temperature=21"));
        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, notJson.ReasonCode);
        Assert.StartsWith("invalid JSON", notJson.ReasonString, StringComparison.Ordinal);
        var wrongDevice = await device.PublishAsync(Message(MqttTopicsOf(id).Telemetry, Telemetry(id + "-x", 1)));
        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, wrongDevice.ReasonCode);
        var tooLarge = await device.PublishAsync(Message(MqttTopicsOf(id).Telemetry, new string(' ', 70_000)));
        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, tooLarge.ReasonCode);
        Assert.Equal("payload of 70000 bytes exceeds the limit of 65536 bytes (Mqtt:MaxPayloadBytes)", tooLarge.ReasonString);
        var badResult = await device.PublishAsync(Message($"devices/{id}/commands/c1/result", """{"status":"done"}"""));
        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, badResult.ReasonCode);
        var subscribed = await device.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter($"devices/{id}-other/commands").Build());
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, Assert.Single(subscribed.Items).ResultCode);

        var dead = await TopicReader.ReadKeyedAsync(fixture.Broker.BootstrapServers, fixture.Kafka.DeadLetterTopic, id, r => r.Count >= 4);
        Assert.Equal(4, dead.Count);
        Assert.All(dead, r => Assert.StartsWith("mqtt:devices/" + id + "/", Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes("dlq.topic")), StringComparison.Ordinal));
        Assert.Equal("temperature=21", Encoding.UTF8.GetString(dead[0].Message.Value!));
        Assert.StartsWith("invalid JSON", Encoding.UTF8.GetString(dead[0].Message.Headers.GetLastBytes("dlq.reason")), StringComparison.Ordinal);

        // The same connection still works, and another device was never held up.
        var fine = await device.PublishAsync(Message(MqttTopicsOf(id).Telemetry, Telemetry(id, 3)));
        Assert.Equal(MqttClientPublishReasonCode.Success, fine.ReasonCode);
        var neighbour = ApiFixture.NewDeviceId("mqtt-neighbour");
        using var other = await ConnectAsync(neighbour, await IssueAsync(neighbour));
        var refusedAgain = device.PublishAsync(Message(MqttTopicsOf(id).Telemetry, "still not json"));
        var accepted = await other.PublishAsync(Message(MqttTopicsOf(neighbour).Telemetry, Telemetry(neighbour, 4)));
        Assert.Equal((MqttClientPublishReasonCode.Success, MqttClientPublishReasonCode.PayloadFormatInvalid), (accepted.ReasonCode, (await refusedAgain).ReasonCode));
    }

    [Fact]
    public async Task Publish_BadPayloadOverMqtt311_ConnectionClosed_NoAcknowledgement()
    {
        var id = ApiFixture.NewDeviceId("mqtt-v3");
        var closed = new TaskCompletionSource();
        using var device = await ConnectAsync(id, await IssueAsync(id), MqttProtocolVersion.V311);
        device.DisconnectedAsync += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        using var cancel = new CancellationTokenSource(Timeout);
        await Assert.ThrowsAnyAsync<Exception>(() => device.PublishAsync(Message(MqttTopicsOf(id).Telemetry, "not json"), cancel.Token));
        await closed.Task.WaitAsync(Timeout);
    }

    // The next command delivered to the device; on a timeout, says where the command is.
    private async Task<JsonElement> NextDeliveryAsync(ChannelReader<JsonElement> received, string id, string commandId)
    {
        try
        {
            return await received.ReadAsync().AsTask().WaitAsync(Timeout);
        }
        catch (TimeoutException)
        {
            var command = await fixture.Reader.GetJsonAsync($"/api/devices/{id}/commands/{commandId}");
            throw new Xunit.Sdk.XunitException($"no delivery of {commandId} within {Timeout}; the command: {command}");
        }
    }

    private async Task<string> IssueAsync(string id)
    {
        using var response = await fixture.Writer.PostAsync(new Uri($"/api/devices/{id}/credentials", UriKind.Relative), null);
        var body = await response.JsonAsync();
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal((id, id), (body.GetProperty("clientId").GetString(), body.GetProperty("username").GetString()));
        return body.GetProperty("secret").GetString()!;
    }

    private async Task<IMqttClient> ConnectAsync(string id, string secret, MqttProtocolVersion version = MqttProtocolVersion.V500, ChannelWriter<JsonElement>? received = null)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        if (received is not null)
        {
            client.ApplicationMessageReceivedAsync += e =>
            {
                received.TryWrite(JsonDocument.Parse(System.Buffers.BuffersExtensions.ToArray(e.ApplicationMessage.Payload)).RootElement.Clone());
                return Task.CompletedTask;
            };
        }

        var result = await client.ConnectAsync(Options(id, secret, version));
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        if (received is not null)
        {
            await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(MqttTopicsOf(id).Commands, MqttQualityOfServiceLevel.AtLeastOnce).Build());
        }

        return client;
    }

    private async Task<MqttClientConnectResultCode> TryConnectAsync(string id, string secret, string? username = null)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        try
        {
            return (await client.ConnectAsync(Options(id, secret, MqttProtocolVersion.V500, username))).ResultCode;
        }
        catch (MQTTnet.Adapter.MqttConnectingFailedException exception)
        {
            throw new Xunit.Sdk.XunitException($"connecting failed: {exception.Message}");
        }
    }

    private MqttClientOptions Options(string id, string secret, MqttProtocolVersion version, string? username = null) =>
        new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", fixture.MqttPort)
            .WithClientId(id)
            .WithCredentials(username ?? id, secret)
            .WithProtocolVersion(version)
            .WithTimeout(TimeSpan.FromSeconds(10))
            .Build();

    private Process Mosquitto(string tool, string id, string secret, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-h", "127.0.0.1", "-p", fixture.MqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "-V", "mqttv311", "-i", id, "-u", id, "-P", secret }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start)!;
    }

    private async Task<string> SubmitAsync(string id, string body)
    {
        using var response = await fixture.Writer.SendAsync("POST", $"/api/devices/{id}/commands", body, "application/json");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("id").GetString()!;
    }

    private static MqttApplicationMessage Message(string topic, string payload) =>
        new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();

    private string Telemetry(string id, double temperature) => ApiFixture.Telemetry(id, fixture.Clock.GetUtcNow(), ("temperature", temperature));

    private static (string Telemetry, string Commands) MqttTopicsOf(string id) => (Mqtt.MqttTopics.Telemetry(id), Mqtt.MqttTopics.Commands(id));
}
