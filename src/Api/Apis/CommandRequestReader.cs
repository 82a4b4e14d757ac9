using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml;
using DeviceTwins.Grains.Interfaces.Commands;

namespace DeviceTwins.Api.Apis;

/// <summary>
/// Reads and validates the body of POST /api/devices/{id}/commands: {"name": "...", "payload": any JSON, "timeout":
/// "PT5M"}, and the Idempotency-Key header.
/// </summary>
internal static partial class CommandRequestReader
{
    /// <summary>The rule a command name follows, for error messages.</summary>
    public const string NameRule = "1-64 letters, digits, '.', '_' or '-'";

    /// <summary>The rule an idempotency key follows.</summary>
    public const string KeyRule = "1-128 visible ASCII characters";

    /// <summary>The request, or null and a reason for a 400 (413 for a body over the limit: status).</summary>
    public static async Task<(CommandRequest? Request, int Status, string? Error)> ReadAsync(HttpRequest request, CommandLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(limits);
        var key = request.Headers["Idempotency-Key"];
        if (key.Count > 1 || (key.Count == 1 && !IsValidKey(key[0])))
        {
            return (null, StatusCodes.Status400BadRequest, $"Idempotency-Key must be one header of {KeyRule}.");
        }

        if (request.ContentType is not { } contentType || !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, StatusCodes.Status415UnsupportedMediaType, $"The body must be a JSON object: Content-Type application/json, not '{request.ContentType}'.");
        }

        // The payload's bound plus room for the other members.
        var body = await BoundedBody.ReadAsync(request, limits.MaxPayloadBytes + 1024, cancellationToken);
        if (body is null)
        {
            return (null, StatusCodes.Status413PayloadTooLarge, $"A command's body may be at most {limits.MaxPayloadBytes + 1024} bytes (its payload {limits.MaxPayloadBytes}).");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.WrittenMemory, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException exception)
        {
            return (null, StatusCodes.Status400BadRequest, $"The body is not valid JSON: {exception.Message}");
        }

        using (document)
        {
            return Validate(document.RootElement, key.Count == 1 ? key[0] : null, limits);
        }
    }

    private static (CommandRequest?, int, string?) Validate(JsonElement root, string? key, CommandLimits limits)
    {
        const int bad = StatusCodes.Status400BadRequest;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return (null, bad, "The body must be a JSON object with 'name', and optionally 'payload' and 'timeout'.");
        }

        string? name = null;
        string? payload = null;
        var timeout = CommandLimits.DefaultTimeout;
        foreach (var member in root.EnumerateObject())
        {
            switch (member.Name)
            {
                case "name":
                    if (member.Value.ValueKind != JsonValueKind.String || !NamePattern().IsMatch(member.Value.GetString()!))
                    {
                        return (null, bad, $"'name' must be a string of {NameRule}.");
                    }

                    name = member.Value.GetString();
                    break;
                case "payload":
                    if (member.Value.ValueKind != JsonValueKind.Null)
                    {
                        payload = member.Value.GetRawText();
                        if (System.Text.Encoding.UTF8.GetByteCount(payload) > limits.MaxPayloadBytes)
                        {
                            return (null, StatusCodes.Status413PayloadTooLarge, $"'payload' may be at most {limits.MaxPayloadBytes} bytes of JSON.");
                        }
                    }

                    break;
                case "timeout":
                    if (member.Value.ValueKind != JsonValueKind.String || !TryParseDuration(member.Value.GetString()!, out timeout))
                    {
                        return (null, bad, "'timeout' must be an ISO-8601 duration, e.g. \"PT5M\".");
                    }

                    if (timeout < TimeSpan.FromSeconds(1) || timeout > limits.MaxTimeout)
                    {
                        return (null, bad, $"'timeout' must be between PT1S and {XmlConvert.ToString(limits.MaxTimeout)}.");
                    }

                    break;
                default:
                    return (null, bad, $"Unknown member '{member.Name}': a command has 'name', 'payload' and 'timeout'.");
            }
        }

        return name is null
            ? (null, bad, "'name' is required.")
            : (new CommandRequest(name, payload, timeout, key), StatusCodes.Status202Accepted, null);
    }

    private static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        if (!text.StartsWith('P'))
        {
            return false;
        }

        try
        {
            duration = XmlConvert.ToTimeSpan(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    private static bool IsValidKey(string? key) => key is { Length: > 0 and <= 128 } && key.All(c => c is > ' ' and <= '~');

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex NamePattern();
}
