using System.Buffers;

namespace DeviceTwins.Api.Apis;

/// <summary>Reads a request body up to a limit, enforced while reading, so a chunked body without Content-Length is bounded too.</summary>
internal static class BoundedBody
{
    /// <summary>The body's bytes, or null once it exceeds <paramref name="maxBytes"/> (the rest is not read).</summary>
    public static async Task<ArrayBufferWriter<byte>?> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        var body = new ArrayBufferWriter<byte>(Math.Min(maxBytes + 1, 4096));
        var chunk = new byte[4096];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            body.Write(chunk.AsSpan(0, read));
            if (body.WrittenCount > maxBytes)
            {
                return null;
            }
        }

        return body;
    }
}
