using System.Text;
using Microsoft.AspNetCore.Http.Features;

namespace DeviceTwins.Api.Changes;

/// <summary>The text/event-stream wire format (WHATWG HTML, server-sent events): events and comment lines.</summary>
internal static class ServerSentEvents
{
    /// <summary>The media type of an event stream.</summary>
    public const string MediaType = "text/event-stream";

    /// <summary>The comment line sent while nothing happens, so proxies keep the connection open.</summary>
    public const string KeepAlive = ": keep-alive\n\n";

    /// <summary>How long a stream stays silent before it sends <see cref="KeepAlive"/>.</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(15);

    /// <summary>Starts an event stream response: its media type, no caching, no buffering (here or in a reverse proxy such as nginx).</summary>
    public static Task StartAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.Response;
        response.ContentType = MediaType;
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        return response.StartAsync(context.RequestAborted);
    }

    /// <summary>Writes <paramref name="text"/> (events or comments) and flushes it to the client.</summary>
    public static async Task WriteAsync(HttpResponse response, string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    /// <summary>One event: id, event type and data, each data line prefixed, ended by a blank line.</summary>
    public static string Event(string id, string type, string data) => EventWithDataLines(id, type, DataLines(data));

    /// <summary>The data lines of an event (each line of <paramref name="data"/> prefixed), to render once and send in many events.</summary>
    public static string DataLines(string data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var text = new StringBuilder(data.Length + 8);
        // A data line ends at CR, LF or CRLF: split on all three so every line keeps its "data: " prefix.
        foreach (var line in data.ReplaceLineEndings("\n").Split('\n'))
        {
            text.Append("data: ").Append(line).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>One event from data lines made by <see cref="DataLines"/>.</summary>
    public static string EventWithDataLines(string id, string type, string dataLines)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentException.ThrowIfNullOrEmpty(type);
        ArgumentNullException.ThrowIfNull(dataLines);
        if (id.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0 || type.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new ArgumentException("An event id or type cannot hold a line break (or, for an id, NUL).");
        }

        return string.Concat("id: ", id, "\nevent: ", type, "\n", dataLines, "\n");
    }

    /// <summary>An event without an id: the client's last event id (what it resumes from) stays as it was.</summary>
    public static string EventWithoutId(string type, string data)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        if (type.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new ArgumentException("An event type cannot hold a line break.");
        }

        return string.Concat("event: ", type, "\n", DataLines(data), "\n");
    }

    /// <summary>Writes <paramref name="text"/> without flushing, for several events sent together.</summary>
    public static ValueTask WriteUnflushedAsync(HttpResponse response, string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
    }
}
