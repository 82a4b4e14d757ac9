using System.Globalization;
using DeviceTwins.Api.Contracts;
using DeviceTwins.Grains.Interfaces;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace DeviceTwins.Api.Apis;

/// <summary>REST endpoints for device twins.</summary>
public static class DevicesApi
{
    /// <summary>Maps the /api/devices group.</summary>
    public static RouteGroupBuilder MapDevicesApi(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var group = routes.MapGroup("/api/devices").WithTags("Devices");
        group.MapGet("/{id}", GetDevice)
            .WithName("GetDevice")
            .WithSummary("Gets the twin of one device.")
            .WithDescription("Returns the reported properties, the latest value of each metric by event time, first and last seen, message count and version. A device never seen gets 404 and nothing is created.");
        return group;
    }

    /// <summary>GET /api/devices/{id}.</summary>
    public static async Task<Results<Ok<DeviceTwinResponse>, ProblemHttpResult>> GetDevice(string id, IGrainFactory grains, HttpContext context)
    {
        if (!DeviceIds.IsValid(id))
        {
            return Problem(StatusCodes.Status400BadRequest, "Invalid device id", $"A device id is {DeviceIds.Rule}.", context);
        }

        var snapshot = await grains.GetGrain<IDeviceTwinGrain>(id).GetSnapshotAsync();
        if (snapshot is null)
        {
            return Problem(StatusCodes.Status404NotFound, "Device not found", $"No telemetry of device '{id}' has been applied.", context);
        }

        context.Response.Headers[HeaderNames.ETag] = string.Create(CultureInfo.InvariantCulture, $"\"{snapshot.Version}\"");
        return TypedResults.Ok(snapshot.ToResponse());
    }

    private static ProblemHttpResult Problem(int status, string title, string detail, HttpContext context) =>
        TypedResults.Problem(detail: detail, instance: context.Request.Path, statusCode: status, title: title);
}
