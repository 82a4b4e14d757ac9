using DeviceTwins.Grains.Index;
using DeviceTwins.Grains.Interfaces;
using DeviceTwins.Silo.Extensions;
using DeviceTwins.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using StackExchange.Redis;

namespace DeviceTwins.Bench;

/// <summary>
/// Every twin's count as the twin store holds it: the summaries each twin write stores with its state (one hash per
/// fleet index shard), read back as a shard rebuilding itself reads them. A benchmark twin's version is its count of
/// applied records (nothing else changes it there). For fleets whose GETs would queue behind their own tick storm.
/// </summary>
internal static class StoredCounts
{
    public static async Task<(long Applied, int Wrong, int Missing)> VerifyAsync(string redis, string serviceId, int devices, long perDevice, int shards = 64)
    {
        await using var services = new ServiceCollection().AddSerializer().AddAnalyticsSerialization().BuildServiceProvider();
        var connection = new TwinStoreConnection();
        var multiplexer = await connection.ConnectAsync(ConfigurationOptions.Parse(redis));
        try
        {
            var store = new RedisDeviceSummaryStore(connection, serviceId, services.GetRequiredService<Serializer>());
            var seen = new bool[devices];
            long applied = 0;
            var wrong = 0;
            for (var shard = 0; shard < shards; shard++)
            {
                foreach (var summary in await store.ReadShardAsync(shard))
                {
                    var index = TelemetryLoad.DeviceIndex(summary.DeviceId);
                    if (index < 0 || index >= devices || seen[index] || DeviceIndexShards.Of(summary.DeviceId, shards) != shard)
                    {
                        wrong++;
                        continue;
                    }

                    seen[index] = true;
                    applied += summary.Version;
                    if (summary.Version != perDevice)
                    {
                        wrong++;
                    }
                }
            }

            return (applied, wrong, seen.Count(s => !s));
        }
        finally
        {
            await multiplexer.DisposeAsync();
        }
    }
}
