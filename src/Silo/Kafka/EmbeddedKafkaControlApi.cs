using System.Text.Json;
using Confluent.Kafka;
using DeviceTwins.Silo.Kafka.Control;
using DeviceTwins.Streaming.Kafka.Embedded;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DeviceTwins.Silo.Kafka;

/// <summary>
/// Loopback-only fault injection into the standalone embedded cluster ("embedded-kafka"): brokers down and up,
/// partition leader moves, request errors and broker round-trip time, for fault campaigns run by another process.
/// </summary>
public static partial class EmbeddedKafkaControlApi
{
    /// <summary>Highest Kafka API key accepted (Produce = 0, Fetch = 1, ListOffsets = 2, Metadata = 3, OffsetCommit = 8, ...).</summary>
    public const short MaxApiKey = 99;

    /// <summary>Most error codes pushed in one request.</summary>
    public const int MaxErrors = 1000;

    /// <summary>Largest round-trip time, in milliseconds.</summary>
    public const int MaxRttMs = 60_000;

    /// <summary>librdkafka's local "transport failure": pushed as a request error, the broker drops the client's connection.</summary>
    public const int TransportError = -195;

    private const string LogCategory = "DeviceTwins.EmbeddedKafka.Control";
    private static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Maps the control endpoints at the root of the control listener.</summary>
    public static RouteGroupBuilder MapEmbeddedKafkaControlApi(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var group = routes.MapGroup("/").WithTags("Embedded Kafka control");
        group.MapGet("/cluster", GetCluster)
            .WithName("GetEmbeddedCluster")
            .WithSummary("Brokers (address, down, added RTT) and every topic's partition leaders and replicas, from the cluster's metadata.");
        group.MapPost("/brokers/{id}/down", SetBrokerDown)
            .WithName("SetBrokerDown")
            .WithSummary("Closes the broker's connections and refuses new ones; its partitions keep it as leader (no failover).");
        group.MapPost("/brokers/{id}/up", SetBrokerUp)
            .WithName("SetBrokerUp")
            .WithSummary("Makes the broker accept connections again.");
        group.MapPost("/brokers/{id}/rtt/{ms}", SetBrokerRtt)
            .WithName("SetBrokerRtt")
            .WithSummary("Delays every response of the broker by ms milliseconds (0-60000; 0 removes the delay).");
        group.MapPost("/topics/{topic}/partitions/{partition}/leader/{brokerId}", SetPartitionLeader)
            .WithName("SetPartitionLeader")
            .WithSummary("Moves the partition's leadership to the broker (-1: no leader); clients learn it from NOT_LEADER_OR_FOLLOWER and refreshed metadata.");
        group.MapPost("/requests/{apiKey}/errors", PushRequestErrors)
            .WithName("PushRequestErrors")
            .WithSummary("The next requests of the Kafka API fail with the body's codes in order, e.g. {\"errors\":[7,7,6]}; -195 drops the connection.");
        group.MapDelete("/requests/{apiKey}/errors", ClearRequestErrors)
            .WithName("ClearRequestErrors")
            .WithSummary("Drops the errors still pending for the Kafka API.");
        return group;
    }

    /// <summary>GET /cluster.</summary>
    public static Results<Ok<ClusterResponse>, ProblemHttpResult> GetCluster(EmbeddedKafkaCluster cluster, EmbeddedKafkaMetadata metadata, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(metadata);
        Metadata current;
        try
        {
            current = metadata.Read(MetadataTimeout);
        }
        catch (KafkaException exception)
        {
            return Problem(StatusCodes.Status503ServiceUnavailable, "Metadata unavailable", $"No broker answered a metadata request: {exception.Error.Reason}", context);
        }

        var brokers = cluster.Brokers.Select(b => new BrokerResponse(b.Id, metadata.Addresses.GetValueOrDefault(b.Id), b.Down, b.RttMs)).ToList();
        var topics = current.Topics
            .OrderBy(t => t.Topic, StringComparer.Ordinal)
            .Select(t => new TopicResponse(t.Topic, [.. t.Partitions.OrderBy(p => p.PartitionId).Select(p => new PartitionResponse(p.PartitionId, p.Leader, p.Replicas))]))
            .ToList();
        return TypedResults.Ok(new ClusterResponse(cluster.BrokerCount, cluster.BootstrapServers, brokers, topics));
    }

    /// <summary>POST /brokers/{id}/down.</summary>
    public static Results<Ok<BrokerResponse>, ProblemHttpResult> SetBrokerDown(int id, EmbeddedKafkaCluster cluster, EmbeddedKafkaMetadata metadata, ILoggerFactory loggers, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(loggers);
        if (!IsBroker(cluster, id))
        {
            return UnknownBroker(cluster, id, context);
        }

        cluster.SetBrokerDown(id);
        LogBrokerDown(loggers.CreateLogger(LogCategory), id);
        return TypedResults.Ok(StateOf(cluster, metadata, id));
    }

    /// <summary>POST /brokers/{id}/up.</summary>
    public static Results<Ok<BrokerResponse>, ProblemHttpResult> SetBrokerUp(int id, EmbeddedKafkaCluster cluster, EmbeddedKafkaMetadata metadata, ILoggerFactory loggers, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(loggers);
        if (!IsBroker(cluster, id))
        {
            return UnknownBroker(cluster, id, context);
        }

        cluster.SetBrokerUp(id);
        LogBrokerUp(loggers.CreateLogger(LogCategory), id);
        return TypedResults.Ok(StateOf(cluster, metadata, id));
    }

    /// <summary>POST /brokers/{id}/rtt/{ms}.</summary>
    public static Results<Ok<BrokerResponse>, ProblemHttpResult> SetBrokerRtt(int id, int ms, EmbeddedKafkaCluster cluster, EmbeddedKafkaMetadata metadata, ILoggerFactory loggers, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(loggers);
        if (!IsBroker(cluster, id))
        {
            return UnknownBroker(cluster, id, context);
        }

        if (ms is < 0 or > MaxRttMs)
        {
            return Problem(StatusCodes.Status400BadRequest, "Invalid round-trip time", $"ms must be between 0 and {MaxRttMs}.", context);
        }

        cluster.SetBrokerRtt(id, ms);
        LogBrokerRtt(loggers.CreateLogger(LogCategory), id, ms);
        return TypedResults.Ok(StateOf(cluster, metadata, id));
    }

    /// <summary>POST /topics/{topic}/partitions/{partition}/leader/{brokerId}.</summary>
    public static Results<Ok<LeaderChangeResponse>, ProblemHttpResult> SetPartitionLeader(string topic, int partition, int brokerId, EmbeddedKafkaCluster cluster, ILoggerFactory loggers, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(loggers);
        // The cluster would create an unknown topic on the spot; only topics the platform created are accepted.
        if (!cluster.Topics.TryGetValue(topic, out var partitions))
        {
            return Problem(StatusCodes.Status400BadRequest, "Unknown topic", $"No topic '{topic}' was created; known: {string.Join(", ", cluster.Topics.Keys.Order(StringComparer.Ordinal))}.", context);
        }

        if (partition < 0 || partition >= partitions)
        {
            return Problem(StatusCodes.Status400BadRequest, "Unknown partition", $"Topic '{topic}' has partitions 0 to {partitions - 1}.", context);
        }

        if (brokerId != -1 && !IsBroker(cluster, brokerId))
        {
            return Problem(StatusCodes.Status400BadRequest, "Unknown broker", $"brokerId must be between 1 and {cluster.BrokerCount}, or -1 for no leader.", context);
        }

        cluster.SetPartitionLeader(topic, partition, brokerId);
        LogLeaderChanged(loggers.CreateLogger(LogCategory), topic, partition, brokerId);
        return TypedResults.Ok(new LeaderChangeResponse(topic, partition, brokerId));
    }

    /// <summary>POST /requests/{apiKey}/errors with {"errors":[codes]}.</summary>
    public static async Task<Results<Ok<RequestErrorsResponse>, ProblemHttpResult>> PushRequestErrors(int apiKey, EmbeddedKafkaCluster cluster, ILoggerFactory loggers, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(loggers);
        ArgumentNullException.ThrowIfNull(context);
        if (apiKey is < 0 or > MaxApiKey)
        {
            return InvalidApiKey(context);
        }

        RequestErrorsRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync<RequestErrorsRequest>(context.Request.Body, JsonSerializerOptions.Web, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException exception)
        {
            return Problem(StatusCodes.Status400BadRequest, "Invalid body", $"Expected {{\"errors\":[code,...]}}: {exception.Message}", context);
        }

        var errors = request?.Errors;
        if (errors is null || errors.Count is 0 or > MaxErrors)
        {
            return Problem(StatusCodes.Status400BadRequest, "Invalid body", $"Expected {{\"errors\":[code,...]}} with 1 to {MaxErrors} Kafka error codes.", context);
        }

        var names = new List<string>(errors.Count);
        foreach (var code in errors)
        {
            if (!IsInjectable(code, out var name))
            {
                return Problem(StatusCodes.Status400BadRequest, "Invalid error code", $"{code} is not a Kafka protocol error code (0 or above, known to librdkafka) nor {TransportError} (drop the connection).", context);
            }

            names.Add(name);
        }

        cluster.PushRequestErrors((short)apiKey, [.. errors]);
        LogRequestErrors(loggers.CreateLogger(LogCategory), apiKey, errors.Count, string.Join(",", names));
        return TypedResults.Ok(new RequestErrorsResponse((short)apiKey, errors, names));
    }

    /// <summary>DELETE /requests/{apiKey}/errors.</summary>
    public static Results<NoContent, ProblemHttpResult> ClearRequestErrors(int apiKey, EmbeddedKafkaCluster cluster, ILoggerFactory loggers, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(loggers);
        if (apiKey is < 0 or > MaxApiKey)
        {
            return InvalidApiKey(context);
        }

        cluster.ClearRequestErrors((short)apiKey);
        LogRequestErrorsCleared(loggers.CreateLogger(LogCategory), apiKey);
        return TypedResults.NoContent();
    }

    private static bool IsBroker(EmbeddedKafkaCluster cluster, int id) => id >= 1 && id <= cluster.BrokerCount;

    private static bool IsInjectable(int code, out string name)
    {
        if (code == 0)
        {
            name = "NO_ERROR";
            return true;
        }

        if (code < 0 && code != TransportError)
        {
            name = string.Empty;
            return false;
        }

        return EmbeddedKafkaCluster.TryGetErrorName(code, out name);
    }

    private static BrokerResponse StateOf(EmbeddedKafkaCluster cluster, EmbeddedKafkaMetadata metadata, int id)
    {
        var broker = cluster.Brokers[id - 1];
        return new BrokerResponse(broker.Id, metadata.Addresses.GetValueOrDefault(id), broker.Down, broker.RttMs);
    }

    private static ProblemHttpResult UnknownBroker(EmbeddedKafkaCluster cluster, int id, HttpContext context) =>
        Problem(StatusCodes.Status400BadRequest, "Unknown broker", $"Broker {id} does not exist; broker ids run from 1 to {cluster.BrokerCount}.", context);

    private static ProblemHttpResult InvalidApiKey(HttpContext context) =>
        Problem(StatusCodes.Status400BadRequest, "Invalid API key", $"apiKey must be a Kafka API key between 0 and {MaxApiKey} (Produce = 0, Fetch = 1, OffsetCommit = 8, ...).", context);

    private static ProblemHttpResult Problem(int status, string title, string detail, HttpContext context) =>
        TypedResults.Problem(detail: detail, instance: context.Request.Path, statusCode: status, title: title);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fault injected: broker {BrokerId} down")]
    private static partial void LogBrokerDown(ILogger logger, int brokerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fault lifted: broker {BrokerId} up")]
    private static partial void LogBrokerUp(ILogger logger, int brokerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fault injected: broker {BrokerId} round-trip time {RttMs} ms")]
    private static partial void LogBrokerRtt(ILogger logger, int brokerId, int rttMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fault injected: leader of {Topic}[{Partition}] moved to broker {BrokerId}")]
    private static partial void LogLeaderChanged(ILogger logger, string topic, int partition, int brokerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fault injected: the next {Count} requests of API {ApiKey} fail with {ErrorNames}")]
    private static partial void LogRequestErrors(ILogger logger, int apiKey, int count, string errorNames);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fault lifted: pending request errors of API {ApiKey} cleared")]
    private static partial void LogRequestErrorsCleared(ILogger logger, int apiKey);
}
