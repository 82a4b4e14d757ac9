using System.Text.Json;
using DeviceTwins.Grains.Interfaces.Commands;
using DeviceTwins.Grains.Telemetry;

namespace DeviceTwins.Mqtt;

/// <summary>
/// The telemetry records the bridge writes for a device: its own telemetry, checked against the contract exactly as
/// the silo will check it; a command result built from the device's answer; a connection change. Plain C#.
/// </summary>
public static class BridgeRecords
{
    private static readonly TelemetryLimits Limits = new();

    /// <summary>Checks a telemetry payload of <paramref name="deviceId"/>: null when valid, else the reason.</summary>
    public static string? CheckTelemetry(string deviceId, ReadOnlySpan<byte> payload, DateTimeOffset now) =>
        TelemetryParser.TryParse(System.Text.Encoding.UTF8.GetBytes(deviceId), payload, "mqtt", 0, 0, Limits, now, out _, out var error) ? null : error;

    /// <summary>
    /// The telemetry record of a result published on a device's result topic: <c>{"status": "succeeded" | "failed",
    /// "payload": any JSON}</c>; null and the reason when the answer is not that.
    /// </summary>
    public static byte[]? CommandResult(string deviceId, string commandId, ReadOnlySpan<byte> payload, DateTimeOffset now, out string? error)
    {
        string? status = null;
        string? result = null;
        try
        {
            using var document = JsonDocument.Parse(payload.ToArray(), new JsonDocumentOptions { MaxDepth = TelemetryParser.MaxDepth });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = "a command result must be a JSON object {\"status\":\"succeeded\"|\"failed\",\"payload\":...}";
                return null;
            }

            foreach (var member in document.RootElement.EnumerateObject())
            {
                if (member.NameEquals("status") && member.Value.ValueKind == JsonValueKind.String)
                {
                    status = member.Value.GetString();
                }
                else if (member.NameEquals("payload"))
                {
                    result = member.Value.GetRawText();
                }
            }
        }
        catch (JsonException exception)
        {
            error = $"invalid JSON: {exception.Message}";
            return null;
        }

        if (status is not ("succeeded" or "failed"))
        {
            error = "'status' must be \"succeeded\" or \"failed\"";
            return null;
        }

        error = null;
        return Record(deviceId, now, json =>
        {
            json.WriteStartObject("commandResult");
            json.WriteString("commandId", commandId);
            json.WriteString("status", status);
            if (result is not null)
            {
                json.WritePropertyName("payload");
                json.WriteRawValue(result, skipInputValidation: true);
            }

            json.WriteEndObject();
        });
    }

    /// <summary>The record reporting that the device acknowledged (received) <paramref name="commandId"/>.</summary>
    public static byte[] Accepted(string deviceId, string commandId, DateTimeOffset now) =>
        Record(deviceId, now, json =>
        {
            json.WriteStartObject("commandResult");
            json.WriteString("commandId", commandId);
            json.WriteString("status", CommandStates.Name(CommandState.Accepted));
            json.WriteEndObject();
        });

    /// <summary>The record of a connection change.</summary>
    public static byte[] Connection(string deviceId, bool connected, DateTimeOffset now) =>
        Record(deviceId, now, json => json.WriteString("connection", connected ? "connected" : "disconnected"));

    /// <summary>The command id of a delivery the bridge sent (schemas/command.schema.json); null if it is not one.</summary>
    public static string? CommandIdOf(ReadOnlySpan<byte> delivery)
    {
        try
        {
            var reader = new Utf8JsonReader(delivery);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isId = reader.ValueTextEquals("commandId"u8);
                reader.Read();
                if (isId && reader.TokenType == JsonTokenType.String)
                {
                    return reader.GetString();
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Not a delivery of ours.
        }

        return null;
    }

    private static byte[] Record(string deviceId, DateTimeOffset now, Action<Utf8JsonWriter> members)
    {
        using var buffer = new MemoryStream(128);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("deviceId", deviceId);
            json.WriteNumber("ts", now.ToUnixTimeMilliseconds());
            members(json);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
