namespace DeviceTwins.Grains.Interfaces;

/// <summary>How devices spread over the shards of the fleet device index: a stable hash of the device id.</summary>
public static class DeviceIndexShards
{
    /// <summary>The shard of <paramref name="deviceId"/> among <paramref name="shards"/> (FNV-1a of its UTF-16 code units, stable across processes).</summary>
    public static int Of(string deviceId, int shards)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        var hash = 2166136261u;
        foreach (var c in deviceId)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % (uint)shards);
    }
}
