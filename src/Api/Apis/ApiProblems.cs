using Microsoft.AspNetCore.Http.HttpResults;

namespace DeviceTwins.Api.Apis;

/// <summary>RFC 9457 problem responses shared by the endpoint groups.</summary>
internal static class ApiProblems
{
    /// <summary>A problem with <paramref name="status"/>, a title, a detail and the request path as instance.</summary>
    public static ProblemHttpResult Problem(int status, string title, string detail, HttpContext context) =>
        TypedResults.Problem(detail: detail, instance: context.Request.Path, statusCode: status, title: title);

    /// <summary>400 for a device id that breaks the id rule.</summary>
    public static ProblemHttpResult InvalidDeviceId(HttpContext context) =>
        Problem(StatusCodes.Status400BadRequest, "Invalid device id", $"A device id is {Grains.Interfaces.DeviceIds.Rule}.", context);

    /// <summary>400 for an If-Match header that is neither * nor a list of strong entity tags of versions.</summary>
    public static ProblemHttpResult InvalidIfMatch(HttpContext context) =>
        Problem(StatusCodes.Status400BadRequest, "Invalid If-Match", "If-Match must be * or entity tags of twin versions, e.g. \"12\".", context);

    /// <summary>412 when If-Match does not hold for the twin's current version.</summary>
    public static ProblemHttpResult PreconditionFailed(long version, HttpContext context)
    {
        context.Response.Headers[Microsoft.Net.Http.Headers.HeaderNames.ETag] = $"\"{version.ToString(System.Globalization.CultureInfo.InvariantCulture)}\"";
        return Problem(
            StatusCodes.Status412PreconditionFailed,
            "Precondition failed",
            version == 0 ? "If-Match does not hold: the twin does not exist." : $"If-Match does not hold: the twin is at version {version.ToString(System.Globalization.CultureInfo.InvariantCulture)}.",
            context);
    }

    /// <summary>503 when the twin holds too many unpublished desired changes.</summary>
    public static ProblemHttpResult Busy(HttpContext context)
    {
        context.Response.Headers[Microsoft.Net.Http.Headers.HeaderNames.RetryAfter] = "5";
        return Problem(StatusCodes.Status503ServiceUnavailable, "Service unavailable", "The twin's desired changes wait to be published; retry later.", context);
    }

    /// <summary>404 for a device never seen.</summary>
    public static ProblemHttpResult DeviceNotFound(string id, HttpContext context) =>
        Problem(StatusCodes.Status404NotFound, "Device not found", $"No telemetry of device '{id}' has been applied.", context);
}
