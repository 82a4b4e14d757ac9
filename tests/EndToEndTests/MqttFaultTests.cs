using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DeviceTwins.Testing;
using MQTTnet;
using MQTTnet.Protocol;
using Xunit.Abstractions;

namespace DeviceTwins.EndToEndTests;

/// <summary>
/// Faults around devices and commands, on real processes: the stand-alone MQTT bridge killed with SIGKILL while devices
/// publish QoS 1 (nothing lost: a publish not acknowledged is sent again), Kafka down (no PUBACK until it is back), and a
/// silo killed with commands in flight (they are still there after the restart; a timeout that passed while it was down
/// expires them, once).
/// </summary>
public sealed class MqttFaultTests(ITestOutputHelper output)
{
    private const int Devices = 20;
    private const int RecordsPerDevice = 60;

    [Fact]
    public async Task BridgeKilledWhileDevicesPublishQoS1_RestartedBridge_EveryRecordInKafkaAndApplied()
    {
        await using var platform = new TestPlatform();
        await platform.StartKafkaAsync();
        await platform.StartSiloAsync("silo", settings: new Dictionary<string, string> { ["Mqtt__Enabled"] = "false" });
        var mqttPort = TestEnvironment.FreePort();
        var bridge = await platform.StartMqttBridgeAsync("mqtt-1", mqttPort);
        var ids = Enumerable.Range(0, Devices).Select(i => $"mqtt-fault-{i:D2}").ToArray();
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            using var issued = await platform.Http.PostAsync(new Uri($"/api/devices/{id}/credentials", UriKind.Relative), null);
            Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
            secrets[id] = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
        }

        // Each device publishes its records in order, and sends one again until it is acknowledged, as a device with its
        // own buffer does. The bridge dies once a quarter of the records are acknowledged.
        var acknowledged = 0;
        var resent = 0;
        var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var restarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var start = new DateTimeOffset(2026, 12, 6, 8, 0, 0, TimeSpan.Zero);
        var devices = ids.Select(id => Task.Run(async () =>
        {
            using var client = new MqttClientFactory().CreateMqttClient();
            for (var seq = 0; seq < RecordsPerDevice; seq++)
            {
                var payload = string.Create(CultureInfo.InvariantCulture, $$$"""{"deviceId":"{{{id}}}","ts":{{{start.AddSeconds(seq).ToUnixTimeMilliseconds()}}},"metrics":{"seq":{{{seq}}}}}""");
                for (var attempt = 0; ; attempt++)
                {
                    if (attempt > 0)
                    {
                        // Not acknowledged: once the bridge is gone, the device tries again when it is back.
                        Interlocked.Increment(ref resent);
                        if (killed.Task.IsCompleted)
                        {
                            await restarted.Task;
                        }
                    }

                    try
                    {
                        if (!client.IsConnected)
                        {
                            var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", mqttPort).WithClientId(id).WithCredentials(id, secrets[id]).WithTimeout(TimeSpan.FromSeconds(5)).Build();
                            if ((await client.ConnectAsync(options)).ResultCode != MqttClientConnectResultCode.Success)
                            {
                                continue;
                            }
                        }

                        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                        var result = await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"devices/{id}/telemetry").WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), timeout.Token);
                        if (result.ReasonCode == MqttClientPublishReasonCode.Success)
                        {
                            if (Interlocked.Increment(ref acknowledged) == Devices * RecordsPerDevice / 4)
                            {
                                killed.TrySetResult();
                            }

                            break;
                        }
                    }
                    catch (Exception exception) when (exception is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or InvalidOperationException or MQTTnet.Adapter.MqttConnectingFailedException)
                    {
                        // The bridge is gone: connect again and send the same record.
                    }
                }

            }
        })).ToList();

        await killed.Task.WaitAsync(TimeSpan.FromSeconds(120));
        await bridge.KillAsync();
        output.WriteLine($"Killed the bridge with {acknowledged} of {Devices * RecordsPerDevice} records acknowledged.");
        await platform.StartMqttBridgeAsync("mqtt-2", mqttPort);
        restarted.SetResult();
        await Task.WhenAll(devices).WaitAsync(TimeSpan.FromSeconds(180));

        // Every record of every device is in the telemetry topic (a re-sent one possibly twice), and the twin has the last.
        var records = (await platform.ReadWithKcatAsync("iot.telemetry", "%s\\n"))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Where(r => r.TryGetProperty("metrics", out _))
            .Select(r => (Device: r.GetProperty("deviceId").GetString()!, Seq: r.GetProperty("metrics").GetProperty("seq").GetInt32()))
            .ToList();
        foreach (var id in ids)
        {
            Assert.Equal(Enumerable.Range(0, RecordsPerDevice), records.Where(r => r.Device == id).Select(r => r.Seq).Distinct().Order());
            var twin = await Eventually.Until(
                async () => (await platform.GetDeviceAsync(id)).Body,
                body => body.ValueKind == JsonValueKind.Object && body.GetProperty("metrics").GetProperty("seq").GetProperty("value").GetDouble() == RecordsPerDevice - 1,
                TimeSpan.FromSeconds(60),
                $"{id}'s last record applied");
            Assert.Equal(RecordsPerDevice - 1, twin.GetProperty("metrics").GetProperty("seq").GetProperty("value").GetDouble());
        }

        var duplicates = records.Count - records.Distinct().Count();
        output.WriteLine($"0 lost; {duplicates} record(s) in Kafka twice (sent again after the kill: their PUBACK never came); {resent} publish attempt(s) repeated.");
    }

    [Fact]
    public async Task KafkaDown_BridgeWithholdsThePubAck_AcknowledgesOnceKafkaIsBack_RecordApplied()
    {
        await using var platform = new TestPlatform();
        await platform.StartKafkaAsync();
        await platform.StartSiloAsync("silo", settings: new Dictionary<string, string> { ["Mqtt__Enabled"] = "false" });
        var mqttPort = TestEnvironment.FreePort();
        await platform.StartMqttBridgeAsync("mqtt", mqttPort);
        const string id = "kafka-down-1";
        using var issued = await platform.Http.PostAsync(new Uri($"/api/devices/{id}/credentials", UriKind.Relative), null);
        var secret = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
        using var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", mqttPort).WithClientId(id).WithCredentials(id, secret).WithTimeout(TimeSpan.FromSeconds(10)).Build();
        Assert.Equal(MqttClientConnectResultCode.Success, (await client.ConnectAsync(options)).ResultCode);

        using var control = new HttpClient { BaseAddress = platform.KafkaControl, Timeout = TimeSpan.FromSeconds(30) };
        (await control.PostAsync(new Uri("/brokers/1/down", UriKind.Relative), null)).EnsureSuccessStatusCode();
        var payload = string.Create(CultureInfo.InvariantCulture, $$$"""{"deviceId":"{{{id}}}","ts":{{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}},"metrics":{"seq":7}}""");
        var publishing = client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"devices/{id}/telemetry").WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        // No acknowledgement while Kafka cannot take the record: the device keeps it.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.False(publishing.IsCompleted, "the bridge acknowledged a publish while Kafka was down");
        (await control.PostAsync(new Uri("/brokers/1/up", UriKind.Relative), null)).EnsureSuccessStatusCode();
        var result = await publishing.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(MqttClientPublishReasonCode.Success, result.ReasonCode);

        var twin = await Eventually.Until(
            async () => (await platform.GetDeviceAsync(id)).Body,
            body => body.ValueKind == JsonValueKind.Object && body.TryGetProperty("metrics", out var m) && m.TryGetProperty("seq", out _),
            TimeSpan.FromSeconds(60),
            $"{id}'s record applied");
        Assert.Equal(7, twin.GetProperty("metrics").GetProperty("seq").GetProperty("value").GetDouble());
        output.WriteLine($"PUBACK withheld for the outage, then {result.ReasonCode}.");
    }

    [Fact]
    public async Task SiloKilledWithCommandsInFlight_RestartedSilo_TimeoutExpiresOnce_NextCommandSentAndCompleted()
    {
        await using var platform = new TestPlatform();
        await platform.StartKafkaAsync();
        var first = await platform.StartSiloAsync("silo-1");
        const string id = "cmd-crash-1";
        var expiring = await SubmitAsync(platform, id, """{"name":"slow","timeout":"PT10S"}""");
        var next = await SubmitAsync(platform, id, """{"name":"next","timeout":"PT10M"}""");
        Assert.Equal(("sent", "queued"), (expiring.GetProperty("state").GetString(), next.GetProperty("state").GetString()));
        await first.KillAsync();
        // Down for longer than the first command's timeout.
        await Task.Delay(TimeSpan.FromSeconds(11));
        await platform.StartSiloAsync("silo-2");

        var nextId = next.GetProperty("id").GetString()!;
        var expiringId = expiring.GetProperty("id").GetString()!;
        await WaitForStateAsync(platform, id, expiringId, "expired");
        await WaitForStateAsync(platform, id, nextId, "sent");
        await platform.ProduceWithKcatAsync("iot.telemetry", [$$$"""{{{id}}}|{"deviceId":"{{{id}}}","ts":{{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}},"commandResult":{"commandId":"{{{nextId}}}","status":"succeeded"}}"""]);
        await WaitForStateAsync(platform, id, nextId, "succeeded");

        var events = (await platform.ReadWithKcatAsync("iot.commands.events", "%s\\n"))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Select(e => $"{e.GetProperty("name").GetString()}:{e.GetProperty("state").GetString()}")
            .Distinct()
            .ToList();
        Assert.Equal(["slow:queued", "slow:sent", "next:queued", "slow:expired", "next:sent", "next:succeeded"], events);
        var deliveries = await platform.ReadWithKcatAsync("iot.commands", "%k\\n");
        output.WriteLine($"{deliveries.Count} deliveries on iot.commands; events: {string.Join(", ", events)}");
    }

    private static async Task<JsonElement> SubmitAsync(TestPlatform platform, string id, string body)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await platform.Http.PostAsync(new Uri($"/api/devices/{id}/commands", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static Task<JsonElement> WaitForStateAsync(TestPlatform platform, string id, string commandId, string state) =>
        Eventually.Until(
            async () => await platform.Http.GetFromJsonAsync<JsonElement>($"/api/devices/{id}/commands/{commandId}"),
            c => c.GetProperty("state").GetString() == state,
            TimeSpan.FromSeconds(90),
            c => $"{commandId} {state}, got {c}");
}
