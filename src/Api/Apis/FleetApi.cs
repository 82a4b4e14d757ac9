using System.Xml;
using DeviceTwins.Api.Contracts;
using DeviceTwins.Api.OpenApi;
using DeviceTwins.Api.Security;
using DeviceTwins.Grains.Interfaces;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace DeviceTwins.Api.Apis;

/// <summary>REST endpoint for fleet queries over the sharded device index: no device grain is visited.</summary>
public static class FleetApi
{
    /// <summary>Maps GET /api/devices (beside the per-device endpoints of <see cref="DevicesApi"/>).</summary>
    public static RouteGroupBuilder MapFleetApi(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var group = routes.MapGroup("/api/devices").WithTags("Devices");
        group.MapGet("/", GetDevices)
            .WithName("GetDevices")
            .WithSummary("Lists devices matching filters, by device id, with cursor paging, from the fleet device index.")
            .WithDescription("tag=key:value and metric=name>80 (operators > >= < <= = !=) are repeatable and all must hold; status: online, offline or alerting; lastSeenAfter, lastSeenBefore: ISO-8601 instants (exclusive); limit: 1-1000 (default 100); cursor: the next value of the previous page. The index is written behind: asOf and staleness say how fresh it is.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .AddOpenApiOperationTransformer(FleetQueryParameters.AddAsync);
        return group;
    }

    /// <summary>GET /api/devices?tag=&amp;status=&amp;lastSeenAfter=&amp;lastSeenBefore=&amp;metric=&amp;limit=&amp;cursor=.</summary>
    public static async Task<Results<Ok<FleetPageResponse>, ProblemHttpResult>> GetDevices(IGrainFactory grains, IOptions<DeviceIndexOptions> options, ApiCallers callers, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(callers);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        var (request, error) = DeviceQueryParser.Parse(context.Request.Query);
        if (request is null)
        {
            return TypedResults.Problem(
                detail: error!.Detail,
                instance: context.Request.Path,
                statusCode: StatusCodes.Status400BadRequest,
                title: $"Invalid parameter '{error.Parameter}'",
                extensions: new Dictionary<string, object?> { ["parameter"] = error.Parameter });
        }

        var index = options.Value;
        var (page, nextAfterId, asOf) = await FleetIndexQuery.RunAsync(grains, index.Shards, request.Query with { Tenant = callers.Of(context).Tenant }, request.AfterId, request.Limit);
        return TypedResults.Ok(new FleetPageResponse(
            [.. page.Select(d => d.ToResponse())],
            nextAfterId is null ? null : DeviceCursors.Encode(nextAfterId),
            asOf,
            XmlConvert.ToString(index.FlushInterval)));
    }
}
