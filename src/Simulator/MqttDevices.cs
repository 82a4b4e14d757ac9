using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;

namespace DeviceTwins.Simulator;

/// <summary>
/// The simulated fleet over MQTT: each device gets a credential (through the REST API, or the host's issuer), connects
/// to the bridge with it, publishes its telemetry QoS 1 (one publish in flight per device, re-sent after a reconnect
/// until acknowledged), and answers each command it is sent once: <c>succeeded</c>, after a short pause.
/// </summary>
public sealed partial class MqttDevices : IAsyncDisposable
{
    private static readonly TimeSpan WorkTime = TimeSpan.FromMilliseconds(100);
    private readonly SimulatorOptions _options;
    private readonly ILogger _logger;
    private readonly IMqttClient[] _clients;
    private readonly MqttClientOptions[] _connect;
    private readonly Task[] _inflight;
    private readonly HashSet<string> _ran = new(StringComparer.Ordinal);
    private readonly Action _acknowledged;
    private long _commands;

    private MqttDevices(SimulatorOptions options, ILogger logger, int count, Action acknowledged)
    {
        _acknowledged = acknowledged;
        _options = options;
        _logger = logger;
        _clients = new IMqttClient[count];
        _connect = new MqttClientOptions[count];
        _inflight = Enumerable.Repeat(Task.CompletedTask, count).ToArray();
    }

    /// <summary>Commands the devices have run.</summary>
    public long CommandsRun => Interlocked.Read(ref _commands);

    /// <summary>Issues every device's credential and connects it.</summary>
    public static async Task<MqttDevices> ConnectAsync(SimulatorOptions options, IReadOnlyList<string> ids, Action acknowledged, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(ids);
        var devices = new MqttDevices(options, logger, ids.Count, acknowledged);
        using var http = options.IssueCredential is null ? new HttpClient { BaseAddress = new Uri(options.ApiUrl) } : null;
        http?.DefaultRequestHeaders.Add("X-Api-Key", options.ApiKey);
        for (var i = 0; i < ids.Count; i++)
        {
            var id = ids[i];
            var secret = options.IssueCredential is { } issue ? await issue(id, cancellationToken).ConfigureAwait(false) : await IssueAsync(http!, id, cancellationToken).ConfigureAwait(false);
            devices._connect[i] = new MqttClientOptionsBuilder()
                .WithTcpServer(options.MqttHost, options.MqttPort)
                .WithClientId(id)
                .WithCredentials(id, secret)
                .WithTimeout(TimeSpan.FromSeconds(10))
                .Build();
            var client = new MqttClientFactory().CreateMqttClient();
            client.ApplicationMessageReceivedAsync += e => devices.AnswerAsync(client, id, e.ApplicationMessage);
            devices._clients[i] = client;
            await devices.EnsureConnectedAsync(i, cancellationToken).ConfigureAwait(false);
        }

        LogConnected(logger, ids.Count, options.MqttHost, options.MqttPort);
        return devices;
    }

    /// <summary>Publishes a record of device <paramref name="index"/> once its previous one was acknowledged; false when that one is still in flight.</summary>
    public bool TryPublish(int index, string id, byte[] record, CancellationToken cancellationToken)
    {
        if (!_inflight[index].IsCompleted)
        {
            return false;
        }

        _inflight[index] = PublishAsync(index, id, record, cancellationToken);
        return true;
    }

    private async Task PublishAsync(int index, string id, byte[] record, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder().WithTopic($"devices/{id}/telemetry").WithPayload(record).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
        // A device keeps its record until the bridge acknowledges it: after a lost connection it connects again and re-sends.
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await EnsureConnectedAsync(index, cancellationToken).ConfigureAwait(false);
                var result = await _clients[index].PublishAsync(message, cancellationToken).ConfigureAwait(false);
                if (result.ReasonCode == MqttClientPublishReasonCode.Success)
                {
                    _acknowledged();
                    return;
                }

                LogRefused(_logger, id, result.ReasonCode.ToString(), result.ReasonString ?? string.Empty);
                return;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogPublishFailed(_logger, exception, id);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task EnsureConnectedAsync(int index, CancellationToken cancellationToken)
    {
        var client = _clients[index];
        if (client.IsConnected)
        {
            return;
        }

        var result = await client.ConnectAsync(_connect[index], cancellationToken).ConfigureAwait(false);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new InvalidOperationException($"The MQTT bridge refused {_connect[index].ClientId}: {result.ResultCode} {result.ReasonString}");
        }

        await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter($"devices/{_connect[index].ClientId}/commands", MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken).ConfigureAwait(false);
    }

    private Task AnswerAsync(IMqttClient client, string id, MqttApplicationMessage delivery)
    {
        string? commandId;
        try
        {
            commandId = JsonDocument.Parse(System.Buffers.BuffersExtensions.ToArray(delivery.Payload)).RootElement.GetProperty("commandId").GetString();
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return Task.CompletedTask;
        }

        lock (_ran)
        {
            // A command sent again (after a reconnect) that this device already took is not run twice.
            if (commandId is null || !_ran.Add(commandId))
            {
                return Task.CompletedTask;
            }
        }

        Interlocked.Increment(ref _commands);
        // Carried out off the client's receive loop, so the delivery's PUBACK ("accepted") goes out first.
        _ = Task.Run(async () =>
        {
            await Task.Delay(WorkTime).ConfigureAwait(false);
            var result = new MqttApplicationMessageBuilder()
                .WithTopic($"devices/{id}/commands/{commandId}/result")
                .WithPayload(Encoding.UTF8.GetBytes("""{"status":"succeeded","payload":{"simulated":true}}"""))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build();
            try
            {
                await client.PublishAsync(result).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogPublishFailed(_logger, exception, id);
            }
        });
        return Task.CompletedTask;
    }

    // POST /api/devices/{id}/credentials; a device holding the most credentials (the simulator restarted often) gives up its oldest.
    private static async Task<string> IssueAsync(HttpClient http, string id, CancellationToken cancellationToken)
    {
        var path = $"/api/devices/{Uri.EscapeDataString(id)}/credentials";
        for (var attempt = 0; ; attempt++)
        {
            using var response = await http.PostAsync(new Uri(path, UriKind.Relative), null, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == System.Net.HttpStatusCode.Conflict && attempt == 0)
            {
                var held = await http.GetFromJsonAsync<JsonElement>(new Uri(path, UriKind.Relative), cancellationToken).ConfigureAwait(false);
                var oldest = held.EnumerateArray().OrderBy(c => c.GetProperty("createdAt").GetDateTimeOffset()).First().GetProperty("id").GetString();
                using var revoked = await http.DeleteAsync(new Uri($"{path}/{oldest}", UriKind.Relative), cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"Issuing the credential of {id} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)}");
            }

            return (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken).ConfigureAwait(false)).GetProperty("secret").GetString()!;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients.Where(c => c is not null))
        {
            if (client.IsConnected)
            {
                await client.DisconnectAsync().ConfigureAwait(false);
            }

            client.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulated devices connected over MQTT: {Devices} to {Host}:{Port}")]
    private static partial void LogConnected(ILogger logger, int devices, string host, int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The MQTT bridge refused a publish of {DeviceId}: {Code} {Reason}")]
    private static partial void LogRefused(ILogger logger, string deviceId, string code, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A publish of {DeviceId} failed; it is sent again once connected")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string deviceId);
}
