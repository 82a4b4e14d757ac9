using System.Globalization;

namespace DeviceTwins.Silo.Storage;

/// <summary>
/// How the twin store names its shard keys. On a single Redis a shard is named by its number; on a Redis Cluster the
/// number is a hash tag (<c>{17}</c>), so a twin's state, its wake entry and its index summary, all tagged with the
/// twin's index shard, live in one hash slot and the script that writes them runs on one node.
/// </summary>
public static class TwinStoreKeys
{
    /// <summary>The name of shard <paramref name="shard"/> inside a key.</summary>
    public static string Shard(int shard, bool cluster)
    {
        var number = shard.ToString(CultureInfo.InvariantCulture);
        return cluster ? string.Concat("{", number, "}") : number;
    }

    /// <summary>Whether <paramref name="serviceId"/> can prefix cluster keys: a brace in it would become the hash tag.</summary>
    public static bool IsClusterSafe(string serviceId) => !serviceId.AsSpan().ContainsAny('{', '}');
}
