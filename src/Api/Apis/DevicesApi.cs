using System.Globalization;
using DeviceTwins.Api.Contracts;
using DeviceTwins.Grains.Interfaces;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using static DeviceTwins.Api.Apis.ApiProblems;

namespace DeviceTwins.Api.Apis;

/// <summary>REST endpoints for device twins: the twin, its alerts, its closed windows and the rules in force.</summary>
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
        group.MapPut("/{id}/tags", PutDeviceTags)
            .WithName("PutDeviceTags")
            .WithSummary("Replaces a device's tags: key/value labels (site, model, ...) that select anomaly rules.")
            .WithDescription("The body is a JSON object of strings, e.g. {\"site\":\"plant-a\"}; at most 64 tags, keys of 1-64 letters, digits, '.', '_', '-' or '/', values of at most 256 characters. Returns the twin.")
            .Accepts<Dictionary<string, string>>("application/json");
        group.MapGet("/{id}/alerts", GetDeviceAlerts)
            .WithName("GetDeviceAlerts")
            .WithSummary("Gets a device's active alerts and its latest cleared ones, newest raise first.");
        group.MapGet("/{id}/aggregates", GetDeviceAggregates)
            .WithName("GetDeviceAggregates")
            .WithSummary("Gets the closed windows the twin keeps, optionally of one metric and overlapping [from, to).")
            .WithDescription("from and to are ISO-8601 instants; the twin keeps a bounded number of recent windows (Analytics:Windows:Retained).");
        group.MapGet("/{id}/rules", GetDeviceRules)
            .WithName("GetDeviceRules")
            .WithSummary("Gets the anomaly rules in force for a device, with their parameters and the metrics each watches.");
        return group;
    }

    /// <summary>GET /api/devices/{id}.</summary>
    public static async Task<Results<Ok<DeviceTwinResponse>, ProblemHttpResult>> GetDevice(string id, IGrainFactory grains, HttpContext context)
    {
        if (!DeviceIds.IsValid(id))
        {
            return InvalidDeviceId(context);
        }

        var snapshot = await grains.GetGrain<IDeviceTwinGrain>(id).GetSnapshotAsync();
        if (snapshot is null)
        {
            return DeviceNotFound(id, context);
        }

        context.Response.Headers[HeaderNames.ETag] = string.Create(CultureInfo.InvariantCulture, $"\"{snapshot.Version}\"");
        return TypedResults.Ok(snapshot.ToResponse());
    }

    /// <summary>PUT /api/devices/{id}/tags.</summary>
    public static async Task<Results<Ok<DeviceTwinResponse>, ProblemHttpResult>> PutDeviceTags(string id, HttpRequest request, IGrainFactory grains, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!DeviceIds.IsValid(id))
        {
            return InvalidDeviceId(context);
        }

        var (tags, error) = await DeviceTags.ReadAsync(request, context.RequestAborted);
        if (tags is null)
        {
            return Problem(StatusCodes.Status400BadRequest, "Invalid tags", error!, context);
        }

        var snapshot = await grains.GetGrain<IDeviceTwinGrain>(id).SetTagsAsync(tags);
        if (snapshot is null)
        {
            return DeviceNotFound(id, context);
        }

        context.Response.Headers[HeaderNames.ETag] = string.Create(CultureInfo.InvariantCulture, $"\"{snapshot.Version}\"");
        return TypedResults.Ok(snapshot.ToResponse());
    }

    /// <summary>GET /api/devices/{id}/alerts.</summary>
    public static async Task<Results<Ok<IReadOnlyList<AlertResponse>>, ProblemHttpResult>> GetDeviceAlerts(string id, IGrainFactory grains, HttpContext context)
    {
        if (!DeviceIds.IsValid(id))
        {
            return InvalidDeviceId(context);
        }

        var alerts = await grains.GetGrain<IDeviceTwinGrain>(id).GetAlertsAsync();
        return alerts is null ? DeviceNotFound(id, context) : TypedResults.Ok<IReadOnlyList<AlertResponse>>([.. alerts.Select(a => a.ToResponse())]);
    }

    /// <summary>GET /api/devices/{id}/aggregates?metric=&amp;from=&amp;to=.</summary>
    public static async Task<Results<Ok<IReadOnlyList<AggregateResponse>>, ProblemHttpResult>> GetDeviceAggregates(
        string id, string? metric, string? from, string? to, IGrainFactory grains, HttpContext context)
    {
        if (!DeviceIds.IsValid(id))
        {
            return InvalidDeviceId(context);
        }

        if (!TryParseInstant(from, out var fromAt) || !TryParseInstant(to, out var toAt))
        {
            return Problem(StatusCodes.Status400BadRequest, "Invalid time range", "from and to must be ISO-8601 instants with an offset, e.g. 2026-11-27T10:00:00Z.", context);
        }

        if (fromAt is not null && toAt is not null && fromAt >= toAt)
        {
            return Problem(StatusCodes.Status400BadRequest, "Invalid time range", "from must be before to.", context);
        }

        if (metric is not null && (metric.Length == 0 || metric.Length > 128))
        {
            return Problem(StatusCodes.Status400BadRequest, "Invalid metric", "metric must be 1-128 characters when given.", context);
        }

        var windows = await grains.GetGrain<IDeviceTwinGrain>(id).GetAggregatesAsync(metric, fromAt, toAt);
        return windows is null ? DeviceNotFound(id, context) : TypedResults.Ok<IReadOnlyList<AggregateResponse>>([.. windows.Select(w => w.ToResponse())]);
    }

    /// <summary>GET /api/devices/{id}/rules.</summary>
    public static async Task<Results<Ok<IReadOnlyList<RuleResponse>>, ProblemHttpResult>> GetDeviceRules(string id, IGrainFactory grains, HttpContext context)
    {
        if (!DeviceIds.IsValid(id))
        {
            return InvalidDeviceId(context);
        }

        var rules = await grains.GetGrain<IDeviceTwinGrain>(id).GetRulesAsync();
        return TypedResults.Ok<IReadOnlyList<RuleResponse>>([.. rules.Select(r => r.ToResponse())]);
    }

    private static bool TryParseInstant(string? text, out DateTimeOffset? instant)
    {
        instant = null;
        if (text is null)
        {
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            instant = parsed;
            return true;
        }

        return false;
    }
}
