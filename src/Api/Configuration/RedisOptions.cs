namespace DeviceTwins.Api.Configuration;

/// <summary>Redis settings (section "Redis").</summary>
public sealed class RedisOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Redis";

    /// <summary>StackExchange.Redis connection string; empty keeps twins in memory with localhost clustering.</summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>Most twin reads and writes in flight to Redis per silo; more wait their turn (back-pressure).</summary>
    public int MaxConcurrentOperations { get; set; } = 256;

    /// <summary>While the twin store is unreachable (circuit open), how often one PING probes whether it answers again.</summary>
    public TimeSpan CircuitProbeInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Whether Redis is a Redis Cluster: the twin store then keys a twin's state, wake entry and index summary under one
    /// hash tag (its index shard), so the one script that writes them runs on one node. Checked against the server at start.
    /// </summary>
    public bool Cluster { get; set; }

    /// <summary>With <see cref="Cluster"/>: replicas that must hold a twin's write (Redis WAIT) before it counts as durable; 0 does not wait.</summary>
    public int ReplicaAcks { get; set; } = 1;

    /// <summary>How long one Redis WAIT for <see cref="ReplicaAcks"/> waits; a write whose replica is still linked to its node waits again.</summary>
    public TimeSpan ReplicaAckTimeout { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How long a write keeps waiting for a replica that is linked to its node but behind; after that, or at once when the
    /// node has lost its replica, the node's writes go unconfirmed for a while (counted, with a warning).
    /// </summary>
    public TimeSpan ReplicaAckDeadline { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>True when Redis is configured.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(ConnectionString);
}
