using DeviceTwins.Api.Contracts;
using DeviceTwins.Api.Security;
using DeviceTwins.Grains.Interfaces;
using DeviceTwins.Grains.Interfaces.Models;
using Microsoft.AspNetCore.Http.HttpResults;
using static DeviceTwins.Api.Apis.ApiProblems;

namespace DeviceTwins.Api.Apis;

/// <summary>REST endpoints for alerts across the fleet, served from the sharded alert index.</summary>
public static class AlertsApi
{
    /// <summary>Largest page size.</summary>
    public const int MaxLimit = 1000;

    /// <summary>Maps the /api/alerts group.</summary>
    public static RouteGroupBuilder MapAlertsApi(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var group = routes.MapGroup("/api/alerts").WithTags("Alerts");
        group.MapGet("/", GetAlerts)
            .WithName("GetAlerts")
            .WithSummary("Lists alerts across the fleet (the caller's tenant's devices, for a caller of one tenant), newest raise first, with cursor paging.")
            .WithDescription("state: active (raised or acknowledged) or all (default, includes the latest cleared alerts); limit: 1-1000 (default 100); cursor: the next value of the previous page.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapPost("/{id}/ack", AcknowledgeAlert)
            .WithName("AcknowledgeAlert")
            .WithSummary("Acknowledges an active alert; the change is published on the alerts topic and audited.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return group;
    }

    /// <summary>GET /api/alerts?state=&amp;limit=&amp;cursor=.</summary>
    public static async Task<Results<Ok<AlertPageResponse>, ProblemHttpResult>> GetAlerts(string? state, int? limit, string? cursor, IGrainFactory grains, ApiCallers callers, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(callers);
        var activeOnly = state switch
        {
            null or "all" => false,
            "active" => true,
            _ => (bool?)null,
        };
        if (activeOnly is null)
        {
            return Problem(StatusCodes.Status400BadRequest, "Invalid state", "state must be 'active' or 'all'.", context);
        }

        var size = limit ?? 100;
        if (size is < 1 or > MaxLimit)
        {
            return Problem(StatusCodes.Status400BadRequest, "Invalid limit", $"limit must be between 1 and {MaxLimit}.", context);
        }

        AlertCursor? after = null;
        if (cursor is not null && !AlertCursors.TryDecode(cursor, out after))
        {
            return Problem(StatusCodes.Status400BadRequest, "Invalid cursor", "cursor must be the 'next' value of a previous page.", context);
        }

        // Each shard returns its first page after the cursor (of the caller's tenant); the merged first `size` are the fleet's.
        var tenant = callers.Of(context).Tenant;
        var shards = await Task.WhenAll(Enumerable.Range(0, AlertIndexShards.Count)
            .Select(shard => grains.GetGrainByKey<IAlertIndexGrain>(shard).QueryAsync(activeOnly.Value, after, size + 1, tenant)));
        var merged = shards.SelectMany(s => s).OrderByDescending(a => a.RaisedAt).ThenBy(a => a.Id, StringComparer.Ordinal).Take(size + 1).ToList();
        var page = merged.Take(size).ToList();
        var next = merged.Count > size ? AlertCursors.Encode(page[^1]) : null;
        return TypedResults.Ok(new AlertPageResponse([.. page.Select(a => a.ToResponse())], next));
    }

    /// <summary>POST /api/alerts/{id}/ack.</summary>
    public static async Task<Results<Ok<AlertResponse>, ProblemHttpResult>> AcknowledgeAlert(string id, IGrainFactory grains, ApiCallers callers, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(callers);
        if (id.Length != 32 || !id.All(char.IsAsciiHexDigitLower))
        {
            return Problem(StatusCodes.Status400BadRequest, "Invalid alert id", "An alert id is 32 lower-case hexadecimal digits.", context);
        }

        var owners = await Task.WhenAll(Enumerable.Range(0, AlertIndexShards.Count).Select(shard => grains.GetGrainByKey<IAlertIndexGrain>(shard).DeviceOfAsync(id)));
        var deviceId = owners.FirstOrDefault(d => d is not null);
        if (deviceId is null)
        {
            return Problem(StatusCodes.Status404NotFound, "Alert not found", $"No alert '{id}' is known.", context);
        }

        // The twin answers NotFound to a caller of another tenant, exactly as for an alert it never had.
        var caller = callers.Of(context);
        var twin = grains.GetGrainByKey<IDeviceTwinGrain>(deviceId);
        var result = await twin.AcknowledgeAsync(id, caller);
        if (result == AcknowledgeResult.Cleared)
        {
            return Problem(StatusCodes.Status409Conflict, "Alert cleared", $"Alert '{id}' has cleared; only an active alert can be acknowledged.", context);
        }

        var alert = (await twin.GetAlertsAsync(caller))?.FirstOrDefault(a => a.Id == id);
        return result == AcknowledgeResult.NotFound || alert is null
            ? Problem(StatusCodes.Status404NotFound, "Alert not found", $"No alert '{id}' is known.", context)
            : TypedResults.Ok(alert.ToResponse());
    }
}
