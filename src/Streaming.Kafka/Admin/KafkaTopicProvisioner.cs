using System.Globalization;
using Confluent.Kafka;
using ErrorCode = Confluent.Kafka.ErrorCode;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Logging;

namespace DeviceTwins.Streaming.Kafka.Admin;

/// <summary>Creates missing topics on a real Kafka cluster; existing topics are left as they are.</summary>
public sealed partial class KafkaTopicProvisioner(ILogger<KafkaTopicProvisioner> logger)
{
    // Distinct client errors named when the cluster cannot be read: the cause and what followed from it.
    private const int MaxCauses = 4;

    /// <summary>Creates every topic of <paramref name="topics"/> that the cluster lacks; returns the names created.</summary>
    public async Task<IReadOnlyList<string>> EnsureTopicsAsync(string bootstrapServers, IReadOnlyDictionary<string, string> clientSettings, IEnumerable<KafkaTopicSpec> topics, TimeSpan timeout)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bootstrapServers);
        ArgumentNullException.ThrowIfNull(topics);
        var config = new AdminClientConfig(new Dictionary<string, string>(clientSettings)) { BootstrapServers = bootstrapServers };
        // The client's errors say why (a TLS or SASL handshake refused, a host not found); the exception only that it failed.
        // All distinct ones are kept, in order: a refused handshake is followed by "all brokers are down", which must not
        // hide it.
        var causes = new List<string>();
        using var admin = new AdminClientBuilder(config)
            .SetLogHandler((_, _) => { })
            .SetErrorHandler((_, error) =>
            {
                var cause = $"{error.Code}: {error.Reason}";
                lock (causes)
                {
                    if (causes.Count < MaxCauses && !causes.Contains(cause))
                    {
                        causes.Add(cause);
                    }
                }
            })
            .Build();
        Metadata metadata;
        try
        {
            metadata = await Task.Run(() => admin.GetMetadata(timeout)).ConfigureAwait(false);
        }
        catch (KafkaException exception)
        {
            string reason;
            lock (causes)
            {
                reason = causes.Count > 0 ? ": " + string.Join("; ", causes) : string.Empty;
            }

            throw new KafkaStreamingException($"Could not read topic metadata from {bootstrapServers}{reason}", exception);
        }

        var existing = metadata.Topics.Where(t => t.Error.Code == ErrorCode.NoError).Select(t => t.Topic).ToHashSet(StringComparer.Ordinal);
        var missing = topics.Where(t => !existing.Contains(t.Name)).ToList();
        if (missing.Count == 0)
        {
            return [];
        }

        var brokers = Math.Max(1, metadata.Brokers.Count);
        var specifications = missing.Select(t => new TopicSpecification
        {
            Name = t.Name,
            NumPartitions = t.Partitions,
            ReplicationFactor = (short)Math.Min(t.ReplicationFactor, brokers),
            Configs = new Dictionary<string, string>
            {
                ["retention.ms"] = ((long)t.Retention.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
            },
        }).ToList();

        try
        {
            await admin.CreateTopicsAsync(specifications, new CreateTopicsOptions { OperationTimeout = timeout, RequestTimeout = timeout }).ConfigureAwait(false);
        }
        catch (CreateTopicsException exception) when (exception.Results.All(r => r.Error.Code is ErrorCode.NoError or ErrorCode.TopicAlreadyExists))
        {
            // Another silo created them first.
        }
        catch (CreateTopicsException exception)
        {
            var failures = string.Join("; ", exception.Results.Where(r => r.Error.Code != ErrorCode.NoError).Select(r => $"{r.Topic}: {r.Error.Reason}"));
            throw new KafkaStreamingException($"Could not create topics on {bootstrapServers}: {failures}", exception);
        }

        foreach (var topic in specifications)
        {
            LogCreated(topic.Name, topic.NumPartitions, topic.ReplicationFactor);
        }

        return specifications.Select(s => s.Name).ToList();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created topic {Topic} with {Partitions} partitions, replication {Replication}")]
    private partial void LogCreated(string topic, int partitions, short replication);
}
