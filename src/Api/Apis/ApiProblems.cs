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

    /// <summary>404 for a device never seen.</summary>
    public static ProblemHttpResult DeviceNotFound(string id, HttpContext context) =>
        Problem(StatusCodes.Status404NotFound, "Device not found", $"No telemetry of device '{id}' has been applied.", context);
}
