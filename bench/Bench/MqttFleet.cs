using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;

namespace DeviceTwins.Bench;

/// <summary>
/// Simulated MQTT devices for the benchmark: each connected with its own credential, publishing telemetry QoS 1 one
/// record at a time (the next once the PUBACK came), and answering each command it is sent, once per command id.
/// </summary>
internal sealed class MqttFleet : IAsyncDisposable
{
    private readonly IMqttClient[] _clients;
    private readonly ConcurrentDictionary<string, byte> _ran = new(StringComparer.Ordinal);
    private int _runTwice;
    private long _deliveries;
    private long _failed;

    private MqttFleet(string[] ids, IMqttClient[] clients)
    {
        Ids = ids;
        _clients = clients;
    }

    public string[] Ids { get; }

    /// <summary>Publish-to-PUBACK times, in milliseconds.</summary>
    public ConcurrentBag<double> Acknowledged { get; } = [];

    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Command ids delivered again after the device had run them (it acknowledges them and does not run them again).</summary>
    public int RunTwice => _runTwice;

    public long Deliveries => Interlocked.Read(ref _deliveries);

    public static async Task<MqttFleet> ConnectAsync(HttpClient http, string[] ids, int port)
    {
        var clients = new IMqttClient[ids.Length];
        var fleet = new MqttFleet(ids, clients);
        for (var i = 0; i < ids.Length; i++)
        {
            var id = ids[i];
            using var issued = await http.PostAsync(new Uri($"/api/devices/{id}/credentials", UriKind.Relative), null);
            var secret = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
            var client = new MqttClientFactory().CreateMqttClient();
            client.ApplicationMessageReceivedAsync += e => fleet.AnswerAsync(client, id, e.ApplicationMessage);
            var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId(id).WithCredentials(id, secret).WithTimeout(TimeSpan.FromSeconds(30)).Build();
            if ((await client.ConnectAsync(options)).ResultCode != MqttClientConnectResultCode.Success)
            {
                throw new InvalidOperationException($"{id} could not connect.");
            }

            await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter($"devices/{id}/commands", MqttQualityOfServiceLevel.AtLeastOnce).Build());
            clients[i] = client;
        }

        return fleet;
    }

    /// <summary>Publishes at <paramref name="rate"/> records/s in total over every device until stopped; returns the records acknowledged.</summary>
    public async Task<long> PublishAsync(int rate, CancellationToken stop)
    {
        long sent = 0;
        var perDevice = (double)rate / _clients.Length;
        var clock = Stopwatch.StartNew();
        var devices = _clients.Select((client, d) => Task.Run(async () =>
        {
            long seq = 0;
            while (!stop.IsCancellationRequested)
            {
                // Paced per device; a device waits for its PUBACK before the next record.
                var due = TimeSpan.FromSeconds(seq / perDevice) - clock.Elapsed;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, CancellationToken.None);
                }

                var started = Stopwatch.GetTimestamp();
                var message = new MqttApplicationMessageBuilder().WithTopic($"devices/{Ids[d]}/telemetry").WithPayload(MqttBenchmark.Record(Ids[d], seq)).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
                var result = await client.PublishAsync(message, CancellationToken.None);
                if (result.ReasonCode == MqttClientPublishReasonCode.Success)
                {
                    Acknowledged.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    Interlocked.Increment(ref sent);
                }
                else
                {
                    Interlocked.Increment(ref _failed);
                }

                seq++;
            }
        })).ToList();
        await Task.WhenAll(devices);
        return sent;
    }

    private async Task AnswerAsync(IMqttClient client, string id, MqttApplicationMessage delivery)
    {
        Interlocked.Increment(ref _deliveries);
        var commandId = JsonDocument.Parse(System.Buffers.BuffersExtensions.ToArray(delivery.Payload)).RootElement.GetProperty("commandId").GetString()!;
        if (!_ran.TryAdd(commandId, 0))
        {
            Interlocked.Increment(ref _runTwice);
            return;
        }

        // Answered off the client's receive loop, so the PUBACK of the delivery goes out first.
        _ = Task.Run(async () => await client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic($"devices/{id}/commands/{commandId}/result")
            .WithPayload(Encoding.UTF8.GetBytes("""{"status":"succeeded","payload":{"ok":true}}"""))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build()));
        await Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            if (client is not null)
            {
                await client.DisconnectAsync();
                client.Dispose();
            }
        }
    }
}
