using System.Text.Json;
using DeviceTwins.Grains.Interfaces.Commands;

namespace DeviceTwins.Silo.Analytics;

/// <summary>
/// The JSON of a command's delivery on the commands topic (schemas/command.schema.json), which the MQTT bridge forwards
/// to the device unchanged, and of its state changes on the command events topic (schemas/command-event.schema.json).
/// </summary>
public static class CommandJson
{
    /// <summary>A delivery: what the device is asked to do, by when, and which attempt this is.</summary>
    public static byte[] Delivery(CommandInfo command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return Write(json =>
        {
            json.WriteString("commandId", command.Id);
            json.WriteString("deviceId", command.DeviceId);
            json.WriteString("name", command.Name);
            Raw(json, "payload", command.Payload);
            json.WriteString("expiresAt", command.ExpiresAt);
            json.WriteNumber("attempt", command.Attempt);
        });
    }

    /// <summary>A state change, with the command as it now is.</summary>
    public static byte[] Event(CommandInfo command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return Write(json =>
        {
            json.WriteString("commandId", command.Id);
            json.WriteString("deviceId", command.DeviceId);
            Optional(json, "tenant", command.Tenant);
            json.WriteString("name", command.Name);
            json.WriteString("state", CommandStates.Name(command.State));
            Raw(json, "payload", command.Payload);
            Raw(json, "result", command.Result);
            json.WriteString("createdAt", command.CreatedAt);
            json.WriteString("updatedAt", command.UpdatedAt);
            json.WriteString("expiresAt", command.ExpiresAt);
            json.WriteNumber("attempt", command.Attempt);
            Optional(json, "createdBy", command.CreatedBy);
        });
    }

    /// <summary>The deterministic id of a state change ("dt.id"): command id, state and attempt.</summary>
    public static string EventId(CommandInfo command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return $"{command.Id}:{CommandStates.Name(command.State)}:{command.Attempt}";
    }

    private static byte[] Write(Action<Utf8JsonWriter> members) =>
        JsonRecordBuffer.Write(members, static (json, members) =>
        {
            json.WriteStartObject();
            members(json);
            json.WriteEndObject();
        });

    // Payloads and results were validated as JSON when they arrived.
    private static void Raw(Utf8JsonWriter json, string name, string? value)
    {
        json.WritePropertyName(name);
        if (value is null)
        {
            json.WriteNullValue();
        }
        else
        {
            json.WriteRawValue(value, skipInputValidation: true);
        }
    }

    private static void Optional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
