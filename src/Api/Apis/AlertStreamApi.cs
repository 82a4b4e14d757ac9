using System.Text.Json;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using DeviceTwins.Api.Changes;
using DeviceTwins.Api.Configuration;
using DeviceTwins.Api.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using static DeviceTwins.Api.Apis.ApiProblems;

namespace DeviceTwins.Api.Apis;

/// <summary>
/// Every alert change (raised, acknowledged, cleared) as server-sent events, read from the alerts topic by a consumer per
/// connection (manual assignment, no consumer group, nothing committed); resumable exactly from the last event id.
/// </summary>
public static partial class AlertStreamApi
{
    /// <summary>The event type of alert changes.</summary>
    public const string EventType = "alert";

    private static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Maps GET /api/alerts/stream.</summary>
    public static RouteHandlerBuilder MapAlertStreamApi(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        return routes.MapGroup("/api/alerts").WithTags("Alerts")
            .MapGet("/stream", GetAlertStream)
            .WithName("GetAlertStream")
            .WithSummary("Streams every alert change as server-sent events (text/event-stream).")
            .WithDescription("Each change is an event with event: alert, data: the alert as GET /api/alerts returns it, and id: the position just after it on the alerts topic (partition:offset pairs). Without Last-Event-ID (or ?lastEventId=) the stream starts with the next change; with it, it resumes exactly after that event, within the topic's retention (Kafka:OutputRetention, 7 days). A ': keep-alive' comment is sent every 15 s.")
            .Produces(StatusCodes.Status200OK, contentType: ServerSentEvents.MediaType)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>GET /api/alerts/stream.</summary>
    public static async Task<Results<EmptyHttpResult, ProblemHttpResult>> GetAlertStream(
        HttpContext context,
        IOptions<AlertStreamOptions> options,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
        ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
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

        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.BootstrapServers))
        {
            return Problem(StatusCodes.Status503ServiceUnavailable, "Service unavailable", "The alert stream needs Kafka:BootstrapServers.", context);
        }

        var logger = loggers.CreateLogger(typeof(AlertStreamApi));
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig(settings.Security.ToClientSettings())
        {
            BootstrapServers = settings.BootstrapServers,
            // Required by the client, never joined: partitions are assigned by hand and nothing is committed.
            GroupId = "devicetwins-alert-stream",
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            // An id older than the retention resumes at the oldest alert still kept.
            AutoOffsetReset = AutoOffsetReset.Earliest,
            QueuedMaxMessagesKbytes = 1024,
            ClientId = "devicetwins-alert-stream",
        }).Build();
        Dictionary<int, long> next;
        try
        {
            next = await Task.Run(() => StartPositions(consumer, settings.AlertsTopic, resume), context.RequestAborted);
        }
        catch (KafkaException exception)
        {
            LogKafkaUnavailable(logger, exception, settings.AlertsTopic);
            return Problem(StatusCodes.Status503ServiceUnavailable, "Service unavailable", $"The alerts topic {settings.AlertsTopic} cannot be read now; retry later.", context);
        }

        consumer.Assign(next.Select(p => new TopicPartitionOffset(settings.AlertsTopic, p.Key, p.Value)));
        try
        {
            await StreamAsync(context, consumer, next, json.Value.SerializerOptions, logger);
        }
        finally
        {
            consumer.Close();
        }

        return TypedResults.Empty;
    }

    // Every partition of the topic: where the client left it, the oldest kept record for a partition it never saw, or the end.
    private static Dictionary<int, long> StartPositions(IConsumer<byte[], byte[]> consumer, string topic, IReadOnlyDictionary<int, long>? resume)
    {
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        var metadata = admin.GetMetadata(topic, MetadataTimeout).Topics.Single();
        if (metadata.Error.IsError)
        {
            throw new KafkaException(metadata.Error);
        }

        var next = new Dictionary<int, long>();
        foreach (var partition in metadata.Partitions.Select(p => p.PartitionId).Order())
        {
            if (resume is not null && resume.TryGetValue(partition, out var offset))
            {
                next[partition] = offset;
                continue;
            }

            var marks = consumer.QueryWatermarkOffsets(new TopicPartition(topic, partition), MetadataTimeout);
            next[partition] = resume is null ? marks.High.Value : marks.Low.Value;
        }

        return next;
    }

    private static async Task StreamAsync(HttpContext context, IConsumer<byte[], byte[]> consumer, Dictionary<int, long> next, JsonSerializerOptions options, ILogger logger)
    {
        var aborted = context.RequestAborted;
        var response = context.Response;
        await ServerSentEvents.StartAsync(context);
        var heartbeatDue = DateTime.UtcNow + ServerSentEvents.HeartbeatInterval;
        try
        {
            while (!aborted.IsCancellationRequested)
            {
                var result = await Task.Run(() => consumer.Consume(PollInterval), aborted);
                if (result is { IsPartitionEOF: false, Message: not null })
                {
                    next[result.Partition.Value] = result.Offset.Value + 1;
                    var id = AlertStreamPosition.Format(next);
                    var alert = Read(result, options);
                    if (alert is null)
                    {
                        // Not an alert (a foreign producer): skipped, but its position is passed so a resume never rereads it.
                        LogNotAnAlert(logger, result.Partition.Value, result.Offset.Value);
                        await ServerSentEvents.WriteAsync(response, $": skipped {result.Partition.Value}:{result.Offset.Value}\n\n", aborted);
                        continue;
                    }

                    await ServerSentEvents.WriteAsync(response, ServerSentEvents.Event(id, EventType, JsonSerializer.Serialize(alert, options)), aborted);
                    heartbeatDue = DateTime.UtcNow + ServerSentEvents.HeartbeatInterval;
                }
                else if (DateTime.UtcNow >= heartbeatDue)
                {
                    await ServerSentEvents.WriteAsync(response, ServerSentEvents.KeepAlive, aborted);
                    heartbeatDue = DateTime.UtcNow + ServerSentEvents.HeartbeatInterval;
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
    }

    private static AlertResponse? Read(ConsumeResult<byte[], byte[]> result, JsonSerializerOptions options)
    {
        try
        {
            var alert = JsonSerializer.Deserialize<AlertResponse>(result.Message.Value, options);
            return alert is { Id: not null, DeviceId: not null, State: not null } ? alert : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }


    [LoggerMessage(Level = LogLevel.Warning, Message = "The alerts topic {Topic} cannot be read for an alert stream")]
    private static partial void LogKafkaUnavailable(ILogger logger, Exception exception, string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The alert stream skipped the record at partition {Partition} offset {Offset}: not an alert")]
    private static partial void LogNotAnAlert(ILogger logger, int partition, long offset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An alert stream ended: the alerts topic could not be read")]
    private static partial void LogConsumeFailed(ILogger logger, Exception exception);
}
