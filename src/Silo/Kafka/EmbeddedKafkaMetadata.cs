using System.Globalization;
using Confluent.Kafka;
using DeviceTwins.Streaming.Kafka.Embedded;

namespace DeviceTwins.Silo.Kafka;

/// <summary>Reads the embedded cluster's metadata (brokers, partition leaders) as clients see it, through one long-lived admin client.</summary>
public sealed partial class EmbeddedKafkaMetadata : IDisposable
{
    private readonly IAdminClient _admin;
    private volatile IReadOnlyDictionary<int, string> _addresses = new Dictionary<int, string>();

    /// <summary>Creates the admin client; librdkafka's log lines go to <paramref name="logger"/> at Debug (a downed broker makes it complain).</summary>
    public EmbeddedKafkaMetadata(EmbeddedKafkaCluster cluster, ILogger<EmbeddedKafkaMetadata> logger)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(logger);
        _admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers, ClientId = "devicetwins-embedded-control" })
            .SetLogHandler((_, message) => LogClient(logger, message.Level.ToString(), message.Message))
            .Build();
    }

    /// <summary>host:port of each broker id, as of the last successful <see cref="Read"/> (the ports never change while the cluster runs).</summary>
    public IReadOnlyDictionary<int, string> Addresses => _addresses;

    /// <summary>The cluster's metadata for every topic; throws <see cref="KafkaException"/> when no broker answers within <paramref name="timeout"/>.</summary>
    public Metadata Read(TimeSpan timeout)
    {
        var metadata = _admin.GetMetadata(timeout);
        _addresses = metadata.Brokers.ToDictionary(b => b.BrokerId, b => string.Create(CultureInfo.InvariantCulture, $"{b.Host}:{b.Port}"));
        return metadata;
    }

    public void Dispose() => _admin.Dispose();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Control metadata client ({ClientLevel}): {ClientMessage}")]
    private static partial void LogClient(ILogger logger, string clientLevel, string clientMessage);
}
