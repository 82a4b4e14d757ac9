using System.Text.Json;
using System.Text.Unicode;
using DeviceTwins.Api.Configuration;
using Microsoft.Net.Http.Headers;

namespace DeviceTwins.Api.Apis;

/// <summary>Reads and checks the body of PATCH /api/devices/{id}/desired: media type, size, JSON, depth, an object.</summary>
internal static class DesiredPatchReader
{
    /// <summary>The merge patch media type (RFC 7396).</summary>
    public const string MergePatchMediaType = "application/merge-patch+json";

    /// <summary>The patch text, or the status (415, 413, 400) and detail of a problem.</summary>
    public static async Task<(string? Patch, int Status, string? Detail)> ReadAsync(HttpRequest request, TwinOptions limits, CancellationToken cancellationToken)
    {
        if (!IsAccepted(request.ContentType))
        {
            return (null, StatusCodes.Status415UnsupportedMediaType,
                $"The body must be a JSON merge patch: Content-Type {MergePatchMediaType} (or application/json), not '{request.ContentType}'.");
        }

        var max = limits.MaxDocumentBytes;
        if (request.ContentLength > max)
        {
            return (null, StatusCodes.Status413PayloadTooLarge, $"The patch is {request.ContentLength} bytes; the limit (Twin:MaxDocumentBytes) is {max}.");
        }

        var body = await BoundedBody.ReadAsync(request, max, cancellationToken);
        if (body is null)
        {
            return (null, StatusCodes.Status413PayloadTooLarge, $"The patch exceeds the limit (Twin:MaxDocumentBytes) of {max} bytes.");
        }

        // Invalid UTF-8 would otherwise be stored with replacement characters instead of what the client sent.
        if (!Utf8.IsValid(body.WrittenSpan))
        {
            return (null, StatusCodes.Status400BadRequest, "The body must be one JSON object: the body is not valid UTF-8.");
        }

        var error = Check(body.WrittenSpan, limits.MaxDepth, out var tooDeep);
        if (error is not null)
        {
            return (null, StatusCodes.Status400BadRequest, tooDeep ? error : "The body must be one JSON object: " + error);
        }

        return (System.Text.Encoding.UTF8.GetString(body.WrittenSpan), StatusCodes.Status200OK, null);
    }

    private static bool IsAccepted(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && (media.MediaType.Equals(MergePatchMediaType, StringComparison.OrdinalIgnoreCase) || media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        && (media.Charset.Length == 0 || media.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase));

    // One pass of the reader: stops at the first container deeper than the limit, before the reader's own depth limit.
    private static string? Check(ReadOnlySpan<byte> json, int maxDepth, out bool tooDeep)
    {
        tooDeep = false;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = maxDepth + 1 });
        try
        {
            if (!reader.Read())
            {
                return "the body is empty.";
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return $"a desired patch is an object, not {reader.TokenType}.";
            }

            do
            {
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth + 1 > maxDepth)
                {
                    tooDeep = true;
                    return $"The patch is nested deeper than the limit (Twin:MaxDepth) of {maxDepth} levels.";
                }

                // Unescaping throws for text that is not Unicode, such as an escaped lone surrogate ("\ud800").
                if (reader.TokenType is JsonTokenType.PropertyName or JsonTokenType.String && reader.ValueIsEscaped)
                {
                    reader.GetString();
                }
            }
            while (reader.Read());

            // Duplicate members are ambiguous (which one wins?): refused, like in telemetry.
            using var document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = maxDepth + 1, AllowDuplicateProperties = false });
        }
        catch (JsonException exception)
        {
            return exception.Message;
        }
        catch (InvalidOperationException exception)
        {
            return exception.Message;
        }

        return null;
    }
}
