namespace DeviceTwins.Grains.Interfaces;

/// <summary>The fleet device index ("DeviceIndex" section), read by the silos and by the API alike.</summary>
public sealed class DeviceIndexOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "DeviceIndex";

    /// <summary>Number of index shards; every silo and API process must agree on it.</summary>
    public int Shards { get; set; } = 64;

    /// <summary>How often each silo sends the twin summaries written since its last send to the shards (the index's staleness bound).</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a shard whose content changed writes its state to storage.</summary>
    public TimeSpan PersistInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A device whose latest event time is older than this (by the silo's clock) counts as offline.</summary>
    public TimeSpan OfflineAfter { get; set; } = TimeSpan.FromMinutes(10);
}
