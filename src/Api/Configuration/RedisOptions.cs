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

    /// <summary>True when Redis is configured.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(ConnectionString);
}
