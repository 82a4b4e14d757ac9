namespace DeviceTwins.Grains.Wake;

/// <summary>The durable wake index and its sweep ("Wake" section).</summary>
public sealed class TwinWakeOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Wake";

    /// <summary>Shards of the wake index (one sorted set each in Redis); every silo must agree on it.</summary>
    public int Shards { get; set; } = 16;

    /// <summary>How often each silo asks every shard to sweep.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long past its instant a twin's work may stay undone before the sweep wakes it (its own timer normally does it first).</summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Twins one shard wakes per sweep at most; the rest wait for the next sweep.</summary>
    public int BatchSize { get; set; } = 1000;

    /// <summary>The shard of <paramref name="deviceId"/> (the fleet index's stable hash over <see cref="Shards"/>).</summary>
    public int ShardOf(string deviceId) => Interfaces.DeviceIndexShards.Of(deviceId, Shards);
}
