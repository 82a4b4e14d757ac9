using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace DeviceTwins.Api.Limits;

/// <summary>Admits an event stream under the stream caps, or answers the problem that refuses it.</summary>
public static class StreamAdmission
{
    /// <summary>How long a refused client is asked to wait.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(10);

    /// <summary>The stream's lease, or null and the 429 (credential cap) or 503 (process cap) to answer.</summary>
    public static IDisposable? TryAdmit(HttpContext context, StreamLimiter limiter, out ProblemHttpResult? refusal)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(limiter);
        var lease = limiter.TryAcquire(Credentials.Of(context.User), out var refusedBy);
        refusal = refusedBy switch
        {
            StreamLimit.None => null,
            StreamLimit.Credential => Refuse(context, StatusCodes.Status429TooManyRequests, "Too many streams", "This credential has as many event streams open as Api:Limits:MaxStreamsPerCredential allows; close one or retry later."),
            _ => Refuse(context, StatusCodes.Status503ServiceUnavailable, "Service unavailable", "This process has as many event streams open as Api:Limits:MaxStreams allows; retry later."),
        };
        return lease;
    }

    private static ProblemHttpResult Refuse(HttpContext context, int status, string title, string detail)
    {
        context.Response.Headers[HeaderNames.RetryAfter] = ((int)RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(detail: detail, instance: context.Request.Path, statusCode: status, title: title);
    }
}
