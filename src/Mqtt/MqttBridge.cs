using System.Buffers;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Confluent.Kafka;
using DeviceTwins.Grains.Interfaces;
using DeviceTwins.Grains.Interfaces.Credentials;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace DeviceTwins.Mqtt;

/// <summary>
/// The MQTT edge bridge. A device connects with client id and user name = its device id and password = a secret whose
/// hash its twin holds; it may publish only on its own telemetry and command result topics and subscribe only to its own
/// commands. A QoS 1 publish is acknowledged only once Kafka acknowledged its record, so a device that loses its
/// connection re-sends and nothing is lost. Bad input is refused with an MQTT 5 reason code (or, for 3.1.1, a closed
/// connection) and dead-lettered with its reason; each device's packets are handled in order, devices in parallel.
/// </summary>
public sealed partial class MqttBridge(
    IOptions<MqttBridgeOptions> options,
    BridgeProducer producer,
    IGrainFactory grains,
    MqttBridgeMetrics metrics,
    TimeProvider time,
    ILogger<MqttBridge> logger) : IHostedService, IDisposable
{
    private const string VersionItem = "dt.protocol";
    private const string HashItem = "dt.secret-hash";
    private const string DeliveredItem = "dt.delivered-command";
    private readonly MqttBridgeOptions _options = options.Value;
    private MqttServer? _server;
    private MqttServerOptions? _serverOptions;
    private X509Certificate2? _certificate;

    /// <summary>The plain listener's port once started (the chosen one when configured as 0); null when off.</summary>
    public int? Port => _serverOptions?.DefaultEndpointOptions.IsEnabled == true ? _serverOptions.DefaultEndpointOptions.Port : null;

    /// <summary>The TLS listener's port once started; null when off.</summary>
    public int? TlsPort => _serverOptions?.TlsEndpointOptions.IsEnabled == true ? _serverOptions.TlsEndpointOptions.Port : null;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var address = IPAddress.Parse(_options.BindAddress);
        var builder = new MqttServerOptionsBuilder();
        if (_options.Port >= 0)
        {
            builder.WithDefaultEndpoint().WithDefaultEndpointBoundIPAddress(address).WithDefaultEndpointBoundIPV6Address(IPAddress.None).WithDefaultEndpointPort(_options.Port);
        }
        else
        {
            builder.WithoutDefaultEndpoint();
        }

        if (_options.TlsCertificatePath.Length > 0)
        {
            _certificate = X509CertificateLoader.LoadPkcs12FromFile(_options.TlsCertificatePath, _options.TlsCertificatePassword);
            builder.WithEncryptedEndpoint().WithEncryptedEndpointBoundIPAddress(address).WithEncryptedEndpointBoundIPV6Address(IPAddress.None)
                .WithEncryptedEndpointPort(_options.TlsPort).WithEncryptionCertificate(_certificate);
        }

        _serverOptions = builder.Build();
        _server = new MqttServerFactory().CreateMqttServer(_serverOptions);
        _server.ValidatingConnectionAsync += ValidateConnectionAsync;
        _server.ClientConnectedAsync += ClientConnectedAsync;
        _server.ClientDisconnectedAsync += ClientDisconnectedAsync;
        _server.InterceptingPublishAsync += InterceptPublishAsync;
        _server.InterceptingSubscriptionAsync += InterceptSubscriptionAsync;
        _server.ClientAcknowledgedPublishPacketAsync += ClientAcknowledgedAsync;
        await _server.StartAsync();
        LogListening(Port?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "off", TlsPort?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "off");
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await _server.StopAsync();
        }
    }

    /// <summary>
    /// Sends a command delivery (the commands topic's record) to the device when it is connected here, QoS 1; a device
    /// not connected here is skipped: its twin sends the command again when the device connects.
    /// </summary>
    public async Task DeliverAsync(string deviceId, byte[] delivery)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        ArgumentNullException.ThrowIfNull(delivery);
        if (_server is null)
        {
            return;
        }

        MqttSessionStatus session;
        try
        {
            session = await _server.GetSessionAsync(deviceId);
        }
        catch (InvalidOperationException)
        {
            return;
        }

        // A twin sends its command in flight again when it hears of a connection; if that connection already has it
        // (the connection's record reached the twin after the first send), it is not delivered twice.
        var commandId = BridgeRecords.CommandIdOf(delivery);
        if (commandId is not null && session.Items[DeliveredItem] is string delivered && string.Equals(delivered, commandId, StringComparison.Ordinal))
        {
            return;
        }

        session.Items[DeliveredItem] = commandId;
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(MqttTopics.Commands(deviceId))
            .WithPayload(delivery)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithContentType("application/json")
            .Build();
        if (session.TryEnqueueApplicationMessage(message, out _))
        {
            metrics.Delivered();
        }
    }

    /// <summary>
    /// Checks every connected device's credential again, disconnecting those whose credential was revoked. The checks are
    /// spread evenly over <paramref name="spread"/>, so a large fleet costs a steady trickle of twin calls, not a burst.
    /// </summary>
    public async Task CheckCredentialsAsync(TimeSpan spread, CancellationToken cancellationToken)
    {
        if (_server is null)
        {
            return;
        }

        var clients = await _server.GetClientsAsync();
        var pause = clients.Count == 0 ? TimeSpan.Zero : spread / clients.Count;
        foreach (var client in clients)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (client.Session.Items[HashItem] is string hash && !await grains.GetGrainByKey<IDeviceTwinGrain>(client.Id).VerifyCredentialAsync(hash))
            {
                metrics.Refused("revoked");
                LogRevoked(client.Id);
                await client.DisconnectAsync(new MqttServerClientDisconnectOptions { ReasonCode = MqttDisconnectReasonCode.NotAuthorized, ReasonString = "credential revoked" });
            }

            if (pause > TimeSpan.Zero)
            {
                await Task.Delay(pause, time, cancellationToken);
            }
        }
    }

    private async Task ValidateConnectionAsync(ValidatingConnectionEventArgs e)
    {
        if (!DeviceIds.IsValid(e.ClientId))
        {
            Refuse(e, MqttConnectReasonCode.ClientIdentifierNotValid, "client_id", $"the client id must be the device id: {DeviceIds.Rule}");
            return;
        }

        if (!string.IsNullOrEmpty(e.UserName) && !string.Equals(e.UserName, e.ClientId, StringComparison.Ordinal))
        {
            Refuse(e, MqttConnectReasonCode.BadUserNameOrPassword, "credentials", "the user name must be the device id (the client id)");
            return;
        }

        if (string.IsNullOrEmpty(e.Password) || !await grains.GetGrainByKey<IDeviceTwinGrain>(e.ClientId).VerifyCredentialAsync(DeviceSecrets.Hash(e.Password)))
        {
            Refuse(e, MqttConnectReasonCode.BadUserNameOrPassword, "credentials", "unknown or revoked credential");
        }
    }

    private void Refuse(ValidatingConnectionEventArgs e, MqttConnectReasonCode code, string reason, string detail)
    {
        e.ReasonCode = code;
        e.ReasonString = detail;
        metrics.Refused(reason);
        LogConnectionRefused(e.ClientId, detail);
    }

    private async Task ClientConnectedAsync(ClientConnectedEventArgs e)
    {
        e.SessionItems[VersionItem] = e.ProtocolVersion;
        e.SessionItems[HashItem] = DeviceSecrets.Hash(e.Password ?? string.Empty);
        metrics.Connected();
        await ReportConnectionAsync(e.ClientId, true);
    }

    private async Task ClientDisconnectedAsync(ClientDisconnectedEventArgs e)
    {
        if (!e.SessionItems.Contains(VersionItem))
        {
            // Never got past the connection's validation.
            return;
        }

        metrics.Disconnected();
        if (e.DisconnectType != MqttClientDisconnectType.Takeover)
        {
            // A takeover is the same device connecting again: its new connection reports itself.
            await ReportConnectionAsync(e.ClientId, false);
        }
    }

    private async Task ReportConnectionAsync(string deviceId, bool connected)
    {
        try
        {
            await producer.ProduceAsync(deviceId, BridgeRecords.Connection(deviceId, connected, time.GetUtcNow()), CancellationToken.None);
        }
        catch (KafkaException exception)
        {
            // The twin then learns the device's state from its next connection change; its commands wait or are resent.
            LogConnectionReportFailed(exception, deviceId);
        }
    }

    private async Task InterceptPublishAsync(InterceptingPublishEventArgs e)
    {
        // Nothing a device publishes goes to other clients: the bridge is its way to Kafka only.
        e.ProcessPublish = false;
        var deviceId = e.ClientId;
        var topic = e.ApplicationMessage.Topic;
        var kind = MqttTopics.Classify(deviceId, topic, out var commandId);
        if (kind == MqttPublishKind.Refused)
        {
            Refuse(e, MqttPubAckReasonCode.NotAuthorized, "topic", $"a device publishes only on {MqttTopics.Telemetry(deviceId)} and {MqttTopics.Commands(deviceId)}/{{commandId}}/result, not '{topic}'");
            return;
        }

        var payload = e.ApplicationMessage.Payload.ToArray();
        var now = time.GetUtcNow();
        byte[]? record;
        string? error;
        if (payload.Length > _options.MaxPayloadBytes)
        {
            record = null;
            error = $"payload of {payload.Length} bytes exceeds the limit of {_options.MaxPayloadBytes} bytes (Mqtt:MaxPayloadBytes)";
        }
        else if (kind == MqttPublishKind.Telemetry)
        {
            error = BridgeRecords.CheckTelemetry(deviceId, payload, now);
            record = error is null ? payload : null;
        }
        else
        {
            record = BridgeRecords.CommandResult(deviceId, commandId!, payload, now, out error);
        }

        var started = time.GetTimestamp();
        try
        {
            if (record is null)
            {
                await producer.DeadLetterAsync(deviceId, topic, payload, error!, now, e.CancellationToken);
                Refuse(e, MqttPubAckReasonCode.PayloadFormatInvalid, "payload", error!);
                return;
            }

            await producer.ProduceAsync(deviceId, record, e.CancellationToken);
            metrics.Published(kind == MqttPublishKind.Telemetry ? "telemetry" : "command_result", time.GetElapsedTime(started));
        }
        catch (Exception exception) when (exception is KafkaException or OperationCanceledException)
        {
            // Not acknowledged as received: a QoS 1 device re-sends (3.1.1 has no failure code, so its connection closes).
            metrics.Refused("kafka_unavailable");
            LogProduceFailed(exception, deviceId);
            Refuse(e, MqttPubAckReasonCode.UnspecifiedError, null, "the record could not be stored in Kafka; publish it again");
        }
    }

    private void Refuse(InterceptingPublishEventArgs e, MqttPubAckReasonCode code, string? reason, string detail)
    {
        if (reason is not null)
        {
            metrics.Refused(reason);
            LogPublishRefused(e.ClientId, detail);
        }

        if (e.SessionItems[VersionItem] is MqttProtocolVersion.V500)
        {
            e.Response.ReasonCode = code;
            e.Response.ReasonString = detail;
        }
        else
        {
            e.CloseConnection = true;
        }
    }

    private Task InterceptSubscriptionAsync(InterceptingSubscriptionEventArgs e)
    {
        if (!MqttTopics.MaySubscribe(e.ClientId, e.TopicFilter.Topic))
        {
            e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
            e.ReasonString = $"a device subscribes only to {MqttTopics.Commands(e.ClientId)}";
            metrics.Refused("subscription");
            LogSubscriptionRefused(e.ClientId, e.TopicFilter.Topic);
        }

        return Task.CompletedTask;
    }

    private async Task ClientAcknowledgedAsync(ClientAcknowledgedPublishPacketEventArgs e)
    {
        if (!string.Equals(e.PublishPacket.Topic, MqttTopics.Commands(e.ClientId), StringComparison.Ordinal)
            || BridgeRecords.CommandIdOf(e.PublishPacket.Payload.ToArray()) is not { } commandId)
        {
            return;
        }

        try
        {
            // The device has the command: its twin moves it to accepted.
            await producer.ProduceAsync(e.ClientId, BridgeRecords.Accepted(e.ClientId, commandId, time.GetUtcNow()), CancellationToken.None);
        }
        catch (KafkaException exception)
        {
            LogConnectionReportFailed(exception, e.ClientId);
        }
    }

    public void Dispose()
    {
        _server?.Dispose();
        _certificate?.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT bridge listening: MQTT on port {Port}, MQTT over TLS on port {TlsPort}")]
    private partial void LogListening(string port, string tlsPort);

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT connection of {ClientId} refused: {Reason}")]
    private partial void LogConnectionRefused(string clientId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT publish of {DeviceId} refused: {Reason}")]
    private partial void LogPublishRefused(string deviceId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT subscription of {DeviceId} to {Filter} refused")]
    private partial void LogSubscriptionRefused(string deviceId, string filter);

    [LoggerMessage(Level = LogLevel.Information, Message = "Device {DeviceId} disconnected: its credential was revoked")]
    private partial void LogRevoked(string deviceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A publish of {DeviceId} could not be produced to Kafka; it is not acknowledged")]
    private partial void LogProduceFailed(Exception exception, string deviceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A connection change or command receipt of {DeviceId} could not be produced to Kafka")]
    private partial void LogConnectionReportFailed(Exception exception, string deviceId);
}
