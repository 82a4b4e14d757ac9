using System.Text.Json;
using Confluent.Kafka;
using DeviceTwins.Api.Changes;
using DeviceTwins.Api.Configuration;
using DeviceTwins.Api.Limits;
using DeviceTwins.Api.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using static DeviceTwins.Api.Apis.ApiProblems;

namespace DeviceTwins.Api.Apis;

/// <summary>
/// Every alert change (raised, acknowledged, cleared) as server-sent events, resumable exactly from the last event id.
/// Streams attach to the process's one reader of the alerts topic (<see cref="AlertFeed"/>); a stream resuming from
/// further back than that reader keeps reads the topic itself until it catches up, then attaches.
/// </summary>
public static partial class AlertStreamApi
{
    /// <summary>The event type of alert changes.</summary>
    public const string EventType = "alert";

    private const string Ended = ": the stream ended (it fell behind, or the reader restarted); reconnect with Last-Event-ID to resume\n\n";
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Maps GET /api/alerts/stream.</summary>
    public static RouteHandlerBuilder MapAlertStreamApi(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        return routes.MapGroup("/api/alerts").WithTags("Alerts")
            .MapGet("/stream", GetAlertStream)
            .WithName("GetAlertStream")
            .WithSummary("Streams every alert change as server-sent events (text/event-stream).")
            .WithDescription("Each change is an event with event: alert, data: the alert as GET /api/alerts returns it, and id: the position just after it on the alerts topic (partition:offset pairs). Without Last-Event-ID (or ?lastEventId=) the stream starts with the next change; with it, it resumes exactly after that event, within the topic's retention (Kafka:OutputRetention, 7 days). A ': keep-alive' comment is sent every 15 s. A stream that falls Api:Limits:StreamBuffer events behind is ended with a comment; reconnecting with its last id loses nothing. Streams are capped per credential (429) and per process (503), both with Retry-After.")
            .Produces(StatusCodes.Status200OK, contentType: ServerSentEvents.MediaType)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>GET /api/alerts/stream.</summary>
    public static async Task<Results<EmptyHttpResult, ProblemHttpResult>> GetAlertStream(
        HttpContext context,
        IOptions<AlertStreamOptions> options,
        AlertFeed feed,
        StreamLimiter limiter,
        ApiCallers callers,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
        ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(callers);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(loggers);
        string? last = context.Request.Headers["Last-Event-ID"];
        if (string.IsNullOrEmpty(last))
        {
            last = context.Request.Query["lastEventId"];
        }

        IReadOnlyDictionary<int, long>? resume = null;
        if (!string.IsNullOrEmpty(last) && !AlertStreamPosition.TryParse(last, out resume))
        {
            return Problem(StatusCodes.Status400BadRequest, "Invalid Last-Event-ID", "Last-Event-ID (or lastEventId) must be the id of an alert event: partition:offset pairs, e.g. 0:13,1:7.", context);
        }

        using var lease = StreamAdmission.TryAdmit(context, limiter, out var refusal);
        if (refusal is not null)
        {
            return refusal;
        }

        var tenant = callers.Of(context).Tenant;
        if (feed.FanOut.TryAttach(resume, out var subscription, out var start))
        {
            using (subscription)
            {
                await ServeAsync(context, subscription!, start!, tenant, started: false);
            }

            return TypedResults.Empty;
        }

        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.BootstrapServers))
        {
            return Problem(StatusCodes.Status503ServiceUnavailable, "Service unavailable", "The alert stream needs Kafka:BootstrapServers.", context);
        }

        var logger = loggers.CreateLogger(typeof(AlertStreamApi));
        AlertSubscription? attached;
        Dictionary<int, long> next;
        using (var slot = feed.TryStartCatchUp())
        {
            if (slot is null)
            {
                context.Response.Headers[Microsoft.Net.Http.Headers.HeaderNames.RetryAfter] = ((int)StreamAdmission.RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Problem(StatusCodes.Status503ServiceUnavailable, "Service unavailable", "As many alert streams as Api:Limits:MaxCatchUpReaders allows are reading older alerts now; retry later.", context);
            }

            using var consumer = AlertTopic.Consumer(settings, "devicetwins-alert-stream");
            try
            {
                next = await Task.Run(() => AlertTopic.StartPositions(consumer, settings.AlertsTopic, resume), context.RequestAborted);
            }
            catch (KafkaException exception)
            {
                LogKafkaUnavailable(logger, exception, settings.AlertsTopic);
                return Problem(StatusCodes.Status503ServiceUnavailable, "Service unavailable", $"The alerts topic {settings.AlertsTopic} cannot be read now; retry later.", context);
            }

            consumer.Assign(next.Select(p => new TopicPartitionOffset(settings.AlertsTopic, p.Key, p.Value)));
            try
            {
                attached = await CatchUpAsync(context, consumer, next, tenant, feed.FanOut, json.Value.SerializerOptions, logger);
            }
            finally
            {
                consumer.Close();
            }
        }

        if (attached is not null)
        {
            using (attached)
            {
                await ServeAsync(context, attached, next, tenant, started: true);
            }
        }

        return TypedResults.Empty;
    }

    // Reads the topic from the stream's own position until the shared feed holds that position, then hands over.
    private static async Task<AlertSubscription?> CatchUpAsync(HttpContext context, IConsumer<byte[], byte[]> consumer, Dictionary<int, long> next, string? tenant, AlertFanOut fanOut, JsonSerializerOptions options, ILogger logger)
    {
        var aborted = context.RequestAborted;
        var response = context.Response;
        await ServerSentEvents.StartAsync(context);
        var heartbeatDue = DateTime.UtcNow + ServerSentEvents.HeartbeatInterval;
        var sinceAttachTry = 0;
        try
        {
            while (!aborted.IsCancellationRequested)
            {
                var result = await Task.Run(() => consumer.Consume(PollInterval), aborted);
                if (result is { IsPartitionEOF: false, Message: not null })
                {
                    await WriteAsync(response, AlertTopic.Event(result, options), next, tenant, logger, aborted);
                    await response.Body.FlushAsync(aborted);
                    heartbeatDue = DateTime.UtcNow + ServerSentEvents.HeartbeatInterval;
                    if (++sinceAttachTry < 64)
                    {
                        continue;
                    }
                }
                else if (DateTime.UtcNow >= heartbeatDue)
                {
                    await ServerSentEvents.WriteAsync(response, ServerSentEvents.KeepAlive, aborted);
                    heartbeatDue = DateTime.UtcNow + ServerSentEvents.HeartbeatInterval;
                }

                sinceAttachTry = 0;
                if (fanOut.TryAttach(next, out var subscription, out _))
                {
                    return subscription;
                }
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away: the normal end of a stream.
        }
        catch (ConsumeException exception)
        {
            // The stream ends; the client reconnects with its last event id and loses nothing.
            LogConsumeFailed(logger, exception);
        }

        return null;
    }

    // Sends what the feed held after the stream's position, then each record the feed reads, until the client leaves or the feed ends the stream.
    private static async Task ServeAsync(HttpContext context, AlertSubscription subscription, Dictionary<int, long> next, string? tenant, bool started)
    {
        var aborted = context.RequestAborted;
        var response = context.Response;
        try
        {
            if (!started)
            {
                await ServerSentEvents.StartAsync(context);
            }

            foreach (var record in subscription.Replay)
            {
                await WriteAsync(response, record, next, tenant, logger: null, aborted);
            }

            await response.Body.FlushAsync(aborted);
            while (true)
            {
                bool more;
                using (var beat = CancellationTokenSource.CreateLinkedTokenSource(aborted))
                {
                    beat.CancelAfter(ServerSentEvents.HeartbeatInterval);
                    try
                    {
                        more = await subscription.Events.WaitToReadAsync(beat.Token);
                    }
                    catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
                    {
                        await ServerSentEvents.WriteAsync(response, ServerSentEvents.KeepAlive, aborted);
                        continue;
                    }
                }

                if (!more)
                {
                    await ServerSentEvents.WriteAsync(response, Ended, aborted);
                    return;
                }

                while (subscription.Events.TryRead(out var record))
                {
                    await WriteAsync(response, record, next, tenant, logger: null, aborted);
                }

                await response.Body.FlushAsync(aborted);
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away: the normal end of a stream.
        }
    }

    // A stream of one tenant passes over other tenants' alerts without a trace: its position advances, nothing is sent.
    private static ValueTask WriteAsync(HttpResponse response, AlertFeedEvent record, Dictionary<int, long> next, string? tenant, ILogger? logger, CancellationToken cancellationToken)
    {
        next[record.Partition] = record.Offset + 1;
        if (tenant is not null && (record.DataLines is null || !string.Equals(record.Tenant, tenant, StringComparison.Ordinal)))
        {
            return ValueTask.CompletedTask;
        }

        if (record.DataLines is null)
        {
            // Not an alert (a foreign producer): skipped, but its position is passed so a resume never rereads it.
            if (logger is not null)
            {
                LogNotAnAlert(logger, record.Partition, record.Offset);
            }

            return ServerSentEvents.WriteUnflushedAsync(response, string.Create(System.Globalization.CultureInfo.InvariantCulture, $": skipped {record.Partition}:{record.Offset}\n\n"), cancellationToken);
        }

        return ServerSentEvents.WriteUnflushedAsync(response, ServerSentEvents.EventWithDataLines(AlertStreamPosition.Format(next), EventType, record.DataLines), cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The alerts topic {Topic} cannot be read for an alert stream")]
    private static partial void LogKafkaUnavailable(ILogger logger, Exception exception, string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The alert stream skipped the record at partition {Partition} offset {Offset}: not an alert")]
    private static partial void LogNotAnAlert(ILogger logger, int partition, long offset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An alert stream ended: the alerts topic could not be read")]
    private static partial void LogConsumeFailed(ILogger logger, Exception exception);
}
