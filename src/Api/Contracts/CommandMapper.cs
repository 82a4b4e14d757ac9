using System.Text.Json;
using DeviceTwins.Grains.Interfaces.Commands;

namespace DeviceTwins.Api.Contracts;

/// <summary>Maps the twin's commands to API responses.</summary>
public static class CommandMapper
{
    /// <summary>The response of <paramref name="command"/>; its payload and result are embedded as JSON.</summary>
    public static CommandResponse ToResponse(this CommandInfo command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return new CommandResponse(
            command.Id,
            command.DeviceId,
            command.Name,
            Json(command.Payload),
            CommandStates.Name(command.State),
            command.CreatedAt,
            command.UpdatedAt,
            command.ExpiresAt,
            command.Attempt,
            Json(command.Result),
            command.IdempotencyKey,
            command.CreatedBy);
    }

    private static JsonElement? Json(string? text)
    {
        if (text is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
