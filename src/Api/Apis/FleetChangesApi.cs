using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;
using DeviceTwins.Api.Changes;
using DeviceTwins.Api.Contracts;
using DeviceTwins.Api.Limits;
using DeviceTwins.Api.Security;
using DeviceTwins.Grains.Interfaces;
using DeviceTwins.Grains.Interfaces.Models;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace DeviceTwins.Api.Apis;

/// <summary>
/// A fleet query followed live as server-sent events: a snapshot of the matching devices, then each device that enters,
/// changes or leaves the result, from the fleet device index at its write-behind pace.
/// </summary>
public static class FleetChangesApi
{
    /// <summary>The stream's path.</summary>
    public const string Path = "/api/fleet/changes";

    /// <summary>Maps GET /api/fleet/changes.</summary>
    public static RouteHandlerBuilder MapFleetChangesApi(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        return routes.MapGroup("/api/fleet").WithTags("Devices")
            .MapGet("/changes", GetFleetChanges)
            .WithName("GetFleetChanges")
            .WithSummary("Follows a fleet query as server-sent events: a snapshot of the matching devices, then each one that enters, changes or leaves.")
            .WithDescription("The filters and limit of GET /api/devices (no cursor): the stream tracks the first limit matching devices by id. Events: snapshot (data: items, asOf, staleness, truncated), then added and changed (data: the device as GET /api/devices serves it) and removed (data: {deviceId}), each with an increasing id. The index is read again every DeviceIndex:FlushInterval, so a change shows within about two intervals. A reconnection, with or without Last-Event-ID, starts again with a snapshot: the index keeps no history of the devices that left a result. A ': keep-alive' comment is sent after 15 s without events.")
            .Produces(StatusCodes.Status200OK, contentType: ServerSentEvents.MediaType)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .AddOpenApiOperationTransformer(OpenApi.FleetQueryParameters.AddStreamAsync);
    }

    /// <summary>GET /api/fleet/changes.</summary>
    public static async Task<Results<EmptyHttpResult, ProblemHttpResult>> GetFleetChanges(
        HttpContext context,
        IGrainFactory grains,
        IOptions<DeviceIndexOptions> options,
        StreamLimiter limiter,
        ApiCallers callers,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(callers);
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(json);
        var (request, problem) = ParseRequest(context.Request.Query, context);
        if (request is null)
        {
            return problem!;
        }

        using var lease = StreamAdmission.TryAdmit(context, limiter, out var refusal);
        if (refusal is not null)
        {
            return refusal;
        }

        // A caller of one tenant follows its tenant's devices alone: the tenant is part of the query, like a filter.
        request = request with { Query = request.Query with { Tenant = callers.Of(context).Tenant } };
        await StreamAsync(context, grains, options.Value, request, json.Value.SerializerOptions);
        return TypedResults.Empty;
    }

    /// <summary>The query of GET /api/devices without its cursor; the event source's own lastEventId parameter is ignored.</summary>
    internal static (DeviceQueryRequest? Request, ProblemHttpResult? Problem) ParseRequest(IQueryCollection query, HttpContext context)
    {
        if (query.ContainsKey("cursor"))
        {
            return (null, Invalid("cursor", "A stream follows the whole result up to its limit: cursor is for paging GET /api/devices.", context));
        }

        var (request, error) = DeviceQueryParser.Parse(query.Where(p => p.Key != "lastEventId"));
        return request is null ? (null, Invalid(error!.Parameter, error.Detail, context)) : (request, null);
    }

    private static ProblemHttpResult Invalid(string parameter, string detail, HttpContext context) => TypedResults.Problem(
        detail: detail,
        instance: context.Request.Path,
        statusCode: StatusCodes.Status400BadRequest,
        title: $"Invalid parameter '{parameter}'",
        extensions: new Dictionary<string, object?> { ["parameter"] = parameter });

    private static async Task StreamAsync(HttpContext context, IGrainFactory grains, DeviceIndexOptions index, DeviceQueryRequest request, JsonSerializerOptions options)
    {
        var aborted = context.RequestAborted;
        var response = context.Response;
        var clock = context.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System;
        var staleness = XmlConvert.ToString(index.FlushInterval);
        // The first look at the index comes before the response starts, so an unreachable cluster is still a 503 problem.
        var (page, next, asOf) = await FleetIndexQuery.RunAsync(grains, index.Shards, request.Query, afterId: null, request.Limit);
        await ServerSentEvents.StartAsync(context);

        var tracker = new FleetQueryTracker();
        long sequence = 0;
        try
        {
            tracker.Update(page);
            var snapshot = new FleetSnapshotResponse([.. page.Select(d => d.ToResponse())], asOf, staleness, next is not null);
            await ServerSentEvents.WriteAsync(response, ServerSentEvents.Event(Id(++sequence), "snapshot", JsonSerializer.Serialize(snapshot, options)), aborted);
            var silentSince = clock.GetTimestamp();
            while (true)
            {
                await Task.Delay(index.FlushInterval, clock, aborted);
                (page, _, _) = await FleetIndexQuery.RunAsync(grains, index.Shards, request.Query, afterId: null, request.Limit);
                var text = new StringBuilder();
                foreach (var change in tracker.Update(page))
                {
                    var (type, data) = change.Kind switch
                    {
                        FleetChangeKind.Added => ("added", JsonSerializer.Serialize(change.Device!.ToResponse(), options)),
                        FleetChangeKind.Changed => ("changed", JsonSerializer.Serialize(change.Device!.ToResponse(), options)),
                        _ => ("removed", JsonSerializer.Serialize(new FleetRemovedResponse(change.DeviceId), options)),
                    };
                    text.Append(ServerSentEvents.Event(Id(++sequence), type, data));
                }

                if (text.Length > 0)
                {
                    await ServerSentEvents.WriteAsync(response, text.ToString(), aborted);
                    silentSince = clock.GetTimestamp();
                }
                else if (clock.GetElapsedTime(silentSince) >= ServerSentEvents.HeartbeatInterval)
                {
                    await ServerSentEvents.WriteAsync(response, ServerSentEvents.KeepAlive, aborted);
                    silentSince = clock.GetTimestamp();
                }
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away: the normal end of a stream.
        }
    }

    private static string Id(long sequence) => sequence.ToString(CultureInfo.InvariantCulture);

}
