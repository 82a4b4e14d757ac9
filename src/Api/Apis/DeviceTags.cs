using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Net.Http.Headers;

namespace DeviceTwins.Api.Apis;

/// <summary>Reads and validates a device's tags from a request body: a JSON object of string values.</summary>
internal static partial class DeviceTags
{
    /// <summary>Most tags a device may carry.</summary>
    public const int MaxTags = 64;

    /// <summary>Longest tag value.</summary>
    public const int MaxValueLength = 256;

    private const int MaxBodyBytes = 64 * 1024;

    /// <summary>Whether <paramref name="contentType"/> is application/json in UTF-8 (no charset or utf-8): anything else is a 415.</summary>
    public static bool IsAccepted(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
        && (media.Charset.Length == 0 || media.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase));

    /// <summary>The tags, or null and the reason they are refused.</summary>
    public static async Task<(Dictionary<string, string>? Tags, string? Error)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, $"The body must be at most {MaxBodyBytes} bytes.");
        }

        var body = await BoundedBody.ReadAsync(request, MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return (null, $"The body must be at most {MaxBodyBytes} bytes.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.WrittenMemory);
        }
        catch (JsonException exception)
        {
            return (null, "The body must be a JSON object of string values: " + exception.Message);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, $"The body must be a JSON object of string values, not {document.RootElement.ValueKind}.");
            }

            try
            {
                return Read(document.RootElement);
            }
            catch (InvalidOperationException exception)
            {
                // A key or value that is not text: invalid UTF-8, or an escaped lone surrogate such as "\ud800".
                return (null, "The body must be a JSON object of string values: " + exception.Message);
            }
        }
    }

    private static (Dictionary<string, string>? Tags, string? Error) Read(JsonElement root)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in root.EnumerateObject())
        {
            if (!TagKey().IsMatch(tag.Name))
            {
                return (null, $"Tag key '{tag.Name}' must be 1-64 letters, digits, '.', '_', '-' or '/'.");
            }

            if (tag.Value.ValueKind != JsonValueKind.String)
            {
                return (null, $"Tag '{tag.Name}' must have a string value, not {tag.Value.ValueKind}.");
            }

            var value = tag.Value.GetString()!;
            if (value.Length > MaxValueLength)
            {
                return (null, $"Tag '{tag.Name}' must be at most {MaxValueLength} characters.");
            }

            if (!tags.TryAdd(tag.Name, value))
            {
                return (null, $"Tag '{tag.Name}' appears twice.");
            }
        }

        return tags.Count > MaxTags ? (null, $"A device carries at most {MaxTags} tags, not {tags.Count}.") : (tags, null);
    }

    [GeneratedRegex("^[A-Za-z0-9._/-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex TagKey();
}
