using System.Text.Json;
using DeviceTwins.Api.Changes;
using DeviceTwins.Api.Contracts;
using DeviceTwins.Api.Limits;
using DeviceTwins.Api.Security;
using DeviceTwins.Grains.Interfaces.Models;
using DeviceTwins.Grains.Interfaces;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using static DeviceTwins.Api.Apis.ApiProblems;

namespace DeviceTwins.Api.Apis;

/// <summary>Live changes of a device twin as server-sent events, resumable from the last version received.</summary>
public static partial class TwinChangesApi
{
    /// <summary>The event type of twin changes.</summary>
    public const string EventType = "twin";

    /// <summary>The event type of command state changes.</summary>
    public const string CommandEventType = "command";

    /// <summary>Maps GET /api/devices/{id}/changes.</summary>
    public static RouteHandlerBuilder MapTwinChangesApi(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        return routes.MapGroup("/api/devices").WithTags("Devices")
            .MapGet("/{id}/changes", GetTwinChanges)
            .WithName("GetDeviceTwinChanges")
            .WithSummary("Streams a device twin's changes as server-sent events (text/event-stream).")
            .WithDescription("Each change (telemetry applied, desired patch, tags) is an event with id: <version>, event: twin and data: the twin as GET /api/devices/{id} returns it. Each state change of one of the device's commands is an event: command (no id) with the command as GET /api/devices/{id}/commands/{commandId} returns it. The current twin comes first, or, with Last-Event-ID: N (or ?lastEventId=N), only when its version is above N; intermediate versions a slow or reconnecting client missed are coalesced into the latest. A ': keep-alive' comment is sent every 15 s.")
            .Produces(StatusCodes.Status200OK, contentType: ServerSentEvents.MediaType)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
    }

    /// <summary>GET /api/devices/{id}/changes.</summary>
    public static async Task<Results<EmptyHttpResult, ProblemHttpResult>> GetTwinChanges(
        string id,
        HttpContext context,
        IGrainFactory grains,
        StreamLimiter limiter,
        ApiCallers callers,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
        ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(callers);
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(loggers);
        if (!DeviceIds.IsValid(id))
        {
            return InvalidDeviceId(context);
        }

        if (!TwinEventIds.TryParseLast(context.Request.Headers["Last-Event-ID"], context.Request.Query["lastEventId"], out var after))
        {
            return Problem(StatusCodes.Status400BadRequest, "Invalid Last-Event-ID", "Last-Event-ID (or lastEventId) must be a twin version: a non-negative integer.", context);
        }

        using var lease = StreamAdmission.TryAdmit(context, limiter, out var refusal);
        if (refusal is not null)
        {
            return refusal;
        }

        var latest = new LatestTwin(after);
        // Orleans holds an observer object weakly: this local keeps it alive (GC.KeepAlive below) for as long as the stream
        // runs; without it, the first collection drops the object and every change after it is lost to this stream.
        var target = new TwinChangeObserver(latest);
        var observer = grains.CreateObjectReference<ITwinChangeObserver>(target);
        var twin = grains.GetGrainByKey<ITwinChangesGrain>(id);
        var logger = loggers.CreateLogger(typeof(TwinChangesApi));
        try
        {
            var caller = callers.Of(context);
            var current = await twin.SubscribeChangesAsync(observer);
            if (current is null || !caller.Sees(current.Tags))
            {
                return DeviceNotFound(id, context);
            }

            latest.Offer(current);
            await StreamAsync(context, twin, observer, latest, caller, json.Value.SerializerOptions);
            return TypedResults.Empty;
        }
        finally
        {
            await EndAsync(twin, observer, grains, id, logger);
            GC.KeepAlive(target);
        }
    }

    private static async Task StreamAsync(HttpContext context, ITwinChangesGrain twin, ITwinChangeObserver observer, LatestTwin latest, Caller caller, JsonSerializerOptions options)
    {
        var aborted = context.RequestAborted;
        var response = context.Response;
        await ServerSentEvents.StartAsync(context);

        try
        {
            var next = latest.TakeAsync(aborted);
            while (true)
            {
                using var beat = CancellationTokenSource.CreateLinkedTokenSource(aborted);
                var heartbeat = Task.Delay(ServerSentEvents.HeartbeatInterval, beat.Token);
                if (await Task.WhenAny(next, heartbeat) == next)
                {
                    await beat.CancelAsync();
                    var change = await next;
                    next = latest.TakeAsync(aborted);
                    if (change.Command is { } command)
                    {
                        if (caller.Tenant is not null && !string.Equals(command.Tenant, caller.Tenant, StringComparison.Ordinal))
                        {
                            return;
                        }

                        // No id: Last-Event-ID stays the twin version a reconnecting client resumes from.
                        var commandData = JsonSerializer.Serialize(command.ToResponse(), options);
                        await ServerSentEvents.WriteAsync(response, ServerSentEvents.EventWithoutId(CommandEventType, commandData), aborted);
                        continue;
                    }

                    var snapshot = change.Twin!;
                    if (!caller.Sees(snapshot.Tags))
                    {
                        // The device moved to another tenant: the stream ends before showing anything of it.
                        return;
                    }

                    var data = JsonSerializer.Serialize(snapshot.ToResponse(), options);
                    await ServerSentEvents.WriteAsync(response, ServerSentEvents.Event(TwinEventIds.Format(snapshot.Version), EventType, data), aborted);
                    continue;
                }

                await heartbeat;
                await ServerSentEvents.WriteAsync(response, ServerSentEvents.KeepAlive, aborted);
                // Renewing keeps the subscription from expiring, and re-creates it if the twin was deactivated or moved;
                // the twin it returns covers any change made while it was not subscribed.
                if (await twin.SubscribeChangesAsync(observer) is { } current)
                {
                    latest.Offer(current);
                }
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away: the normal end of a stream.
        }
    }


    private static async Task EndAsync(ITwinChangesGrain twin, ITwinChangeObserver observer, IGrainFactory grains, string id, ILogger logger)
    {
        try
        {
            await twin.UnsubscribeChangesAsync(observer);
        }
        catch (Exception exception)
        {
            // The subscription then expires on its own (ITwinChangesGrain.SubscriptionExpiry).
            LogUnsubscribeFailed(logger, exception, id);
        }
        finally
        {
            grains.DeleteObjectReference<ITwinChangeObserver>(observer);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not end the change subscription to twin {DeviceId}; it expires on its own")]
    private static partial void LogUnsubscribeFailed(ILogger logger, Exception exception, string deviceId);
}
