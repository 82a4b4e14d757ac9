using System.Globalization;
using DeviceTwins.Api.Configuration;
using DeviceTwins.Api.Contracts;
using DeviceTwins.Api.Security;
using DeviceTwins.Grains.Interfaces;
using DeviceTwins.Grains.Interfaces.Models;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
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
            .WithDescription("Returns the reported and desired documents, their delta and convergence, per-property metadata, the latest value of each metric by event time, first and last seen, message count and version (also the ETag). A device never seen gets 404 and nothing is created.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/{id}/tags", PutDeviceTags)
            .WithName("PutDeviceTags")
            .WithSummary("Replaces a device's tags: key/value labels (site, model, ...) that select anomaly rules.")
            .WithDescription("The body is a JSON object of strings, e.g. {\"site\":\"plant-a\"}; at most 64 tags, keys of 1-64 letters, digits, '.', '_', '-' or '/', values of at most 256 characters. Content-Type application/json (else 415). If-Match (\"<version>\" or *) makes it conditional: 412 on a mismatch. The reserved tag 'tenant' names the device's tenant: kept when left out, changed only by an admin of every tenant (else 403). Returns the twin and its new ETag; the write is audited.")
            .Accepts<Dictionary<string, string>>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        group.MapPatch("/{id}/desired", PatchDesired)
            .WithName("PatchDeviceDesired")
            .WithSummary("Applies a JSON merge patch (RFC 7396) to a device's desired properties.")
            .WithDescription("Content-Type application/merge-patch+json (or application/json); the body is a JSON object: members merge recursively, null deletes, arrays and scalars replace. Creates the twin when the device was never seen (in the caller's tenant, for a caller of one tenant). If-Match (\"<version>\" or *) makes it conditional: 412 on a mismatch. Limits: Twin:MaxDocumentBytes for the patch and the resulting document (413), Twin:MaxDepth (400). Returns the twin and its new ETag; the change is published on the desired-state topic and audited.")
            .Accepts<Dictionary<string, object>>(DesiredPatchReader.MergePatchMediaType, "application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        group.MapGet("/{id}/alerts", GetDeviceAlerts)
            .WithName("GetDeviceAlerts")
            .WithSummary("Gets a device's active alerts and its latest cleared ones, newest raise first.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id}/aggregates", GetDeviceAggregates)
            .WithName("GetDeviceAggregates")
            .WithSummary("Gets the closed windows the twin keeps, optionally of one metric and overlapping [from, to).")
            .WithDescription("from and to are ISO-8601 instants; the twin keeps a bounded number of recent windows (Analytics:Windows:Retained).")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id}/rules", GetDeviceRules)
            .WithName("GetDeviceRules")
            .WithSummary("Gets the anomaly rules in force for a device, with their parameters and the metrics each watches.")
            .WithDescription("A caller of every tenant gets the rules even for a device never seen (those its tags would select); a caller of one tenant gets 404 unless the device is its tenant's.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    /// <summary>GET /api/devices/{id}.</summary>
    public static async Task<Results<Ok<DeviceTwinResponse>, ProblemHttpResult>> GetDevice(string id, IGrainFactory grains, ApiCallers callers, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(callers);
        if (!DeviceIds.IsValid(id))
        {
            return InvalidDeviceId(context);
        }

        // The stored twin at once, without waiting behind a turn of the twin in progress; in turn when it cannot.
        var twin = grains.GetGrainByKey<IDeviceTwinGrain>(id);
        var snapshot = await twin.PeekStoredSnapshotAsync() ?? await twin.GetSnapshotAsync();
        if (snapshot is null || !callers.Of(context).Sees(snapshot.Tags))
        {
            return DeviceNotFound(id, context);
        }

        return Twin(snapshot, context);
    }

    /// <summary>PUT /api/devices/{id}/tags.</summary>
    public static async Task<Results<Ok<DeviceTwinResponse>, ProblemHttpResult>> PutDeviceTags(string id, HttpRequest request, IGrainFactory grains, ApiCallers callers, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(callers);
        if (!DeviceIds.IsValid(id))
        {
            return InvalidDeviceId(context);
        }

        if (!IfMatchHeader.TryParse(request.Headers.IfMatch, out var condition))
        {
            return InvalidIfMatch(context);
        }

        if (!DeviceTags.IsAccepted(request.ContentType))
        {
            return Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported Media Type", $"The body must be a JSON object of string values: Content-Type application/json, not '{request.ContentType}'.", context);
        }

        var (tags, error) = await DeviceTags.ReadAsync(request, context.RequestAborted);
        if (tags is null)
        {
            return Problem(StatusCodes.Status400BadRequest, "Invalid tags", error!, context);
        }

        if (tags.TryGetValue(Tenants.TagKey, out var tenant) && !Tenants.IsValid(tenant))
        {
            return Problem(StatusCodes.Status400BadRequest, "Invalid tags", $"The reserved tag '{Tenants.TagKey}' names the device's tenant: {Tenants.Rule}.", context);
        }

        var result = await grains.GetGrainByKey<IDeviceTwinGrain>(id).ReplaceTagsAsync(tags, condition, callers.Of(context));
        return Written(id, result, context);
    }

    /// <summary>PATCH /api/devices/{id}/desired.</summary>
    public static async Task<Results<Ok<DeviceTwinResponse>, ProblemHttpResult>> PatchDesired(
        string id, HttpRequest request, IGrainFactory grains, IOptions<TwinOptions> options, ApiCallers callers, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(callers);
        ArgumentNullException.ThrowIfNull(options);
        if (!DeviceIds.IsValid(id))
        {
            return InvalidDeviceId(context);
        }

        if (!IfMatchHeader.TryParse(request.Headers.IfMatch, out var condition))
        {
            return InvalidIfMatch(context);
        }

        var limits = options.Value;
        var (patch, status, detail) = await DesiredPatchReader.ReadAsync(request, limits, context.RequestAborted);
        if (patch is null)
        {
            return status switch
            {
                StatusCodes.Status415UnsupportedMediaType => Problem(status, "Unsupported Media Type", detail!, context),
                StatusCodes.Status413PayloadTooLarge => Problem(status, "Patch too large", detail!, context),
                _ => Problem(status, "Invalid desired patch", detail!, context),
            };
        }

        var result = await grains.GetGrainByKey<IDeviceTwinGrain>(id).PatchDesiredAsync(patch, condition, limits.MaxDocumentBytes, callers.Of(context));
        if (result.Status == TwinWriteStatus.TooLarge)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, "Desired document too large", $"With this patch the desired document would exceed the limit (Twin:MaxDocumentBytes) of {limits.MaxDocumentBytes} bytes.", context);
        }

        return Written(id, result, context);
    }

    /// <summary>GET /api/devices/{id}/alerts.</summary>
    public static async Task<Results<Ok<IReadOnlyList<AlertResponse>>, ProblemHttpResult>> GetDeviceAlerts(string id, IGrainFactory grains, ApiCallers callers, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(callers);
        if (!DeviceIds.IsValid(id))
        {
            return InvalidDeviceId(context);
        }

        var alerts = await grains.GetGrainByKey<IDeviceTwinGrain>(id).GetAlertsAsync(callers.Of(context));
        return alerts is null ? DeviceNotFound(id, context) : TypedResults.Ok<IReadOnlyList<AlertResponse>>([.. alerts.Select(a => a.ToResponse())]);
    }

    /// <summary>GET /api/devices/{id}/aggregates?metric=&amp;from=&amp;to=.</summary>
    public static async Task<Results<Ok<IReadOnlyList<AggregateResponse>>, ProblemHttpResult>> GetDeviceAggregates(
        string id, string? metric, string? from, string? to, IGrainFactory grains, ApiCallers callers, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(callers);
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

        var windows = await grains.GetGrainByKey<IDeviceTwinGrain>(id).GetAggregatesAsync(metric, fromAt, toAt, callers.Of(context));
        return windows is null ? DeviceNotFound(id, context) : TypedResults.Ok<IReadOnlyList<AggregateResponse>>([.. windows.Select(w => w.ToResponse())]);
    }

    /// <summary>GET /api/devices/{id}/rules.</summary>
    public static async Task<Results<Ok<IReadOnlyList<RuleResponse>>, ProblemHttpResult>> GetDeviceRules(string id, IGrainFactory grains, ApiCallers callers, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(callers);
        if (!DeviceIds.IsValid(id))
        {
            return InvalidDeviceId(context);
        }

        var rules = await grains.GetGrainByKey<IDeviceTwinGrain>(id).GetRulesAsync(callers.Of(context));
        return rules is null ? DeviceNotFound(id, context) : TypedResults.Ok<IReadOnlyList<RuleResponse>>([.. rules.Select(r => r.ToResponse())]);
    }

    private static Results<Ok<DeviceTwinResponse>, ProblemHttpResult> Written(string id, TwinWriteResult result, HttpContext context) => result.Status switch
    {
        TwinWriteStatus.Written => Twin(result.Twin!, context),
        TwinWriteStatus.NotFound => DeviceNotFound(id, context),
        TwinWriteStatus.PreconditionFailed => PreconditionFailed(result.Version, context),
        TwinWriteStatus.Busy => Busy(context),
        TwinWriteStatus.TenantChangeRefused => Problem(StatusCodes.Status403Forbidden, "Forbidden", $"The reserved tag '{Tenants.TagKey}' names the device's tenant, which only an admin of every tenant may change.", context),
        _ => throw new InvalidOperationException($"Unexpected twin write status {result.Status}."),
    };

    // Every twin response carries its version as a strong ETag, so a client can make its next write conditional.
    private static Ok<DeviceTwinResponse> Twin(TwinSnapshot snapshot, HttpContext context)
    {
        context.Response.Headers[HeaderNames.ETag] = string.Create(CultureInfo.InvariantCulture, $"\"{snapshot.Version}\"");
        return TypedResults.Ok(snapshot.ToResponse());
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
