namespace DeviceTwins.Grains.Interfaces;

/// <summary>How devices spread over the shards of the fleet alert index: a stable hash of the device id.</summary>
public static class AlertIndexShards
{
    /// <summary>Number of index shards.</summary>
    public const int Count = 16;

    /// <summary>The shard of <paramref name="deviceId"/> (FNV-1a of its UTF-16 code units, stable across processes).</summary>
    public static int Of(string deviceId)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        var hash = 2166136261u;
        foreach (var c in deviceId)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % Count);
    }
}
