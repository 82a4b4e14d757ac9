using DeviceTwins.Grains.Interfaces;
using DeviceTwins.Grains.Wake;
using DeviceTwins.Silo.Storage;

namespace DeviceTwins.UnitTests.Wake;

public sealed class TwinWakeTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void At_DueWins_OutputsOnlyWakeAfterThirtySeconds_NothingIsNull()
    {
        Assert.Equal(T0.AddMinutes(1), TwinWake.At(T0.AddMinutes(1), pendingOutputs: true, T0));
        Assert.Equal(T0.AddMinutes(1), TwinWake.At(T0.AddMinutes(1), pendingOutputs: false, T0));
        Assert.Equal(T0.AddSeconds(30), TwinWake.At(null, pendingOutputs: true, T0));
        Assert.Null(TwinWake.At(null, pendingOutputs: false, T0));
    }

    [Fact]
    public void ShardOf_PinnedValues()
    {
        // Stored in Redis (one sorted set per shard): a change of the hash would strand every stored wake instant.
        // The values are FNV-1a (32 bit) of the UTF-16 code units modulo 16, computed outside .NET.
        var options = new TwinWakeOptions();
        Assert.Equal(16, options.Shards);
        Assert.Equal(
            [("pump-17", 10), ("sensor-00001", 9), ("a", 12), ("", 5)],
            new[] { "pump-17", "sensor-00001", "a", "" }.Select(id => (id, options.ShardOf(id))));
        Assert.Equal(DeviceIndexShards.Of("pump-17", 16), options.ShardOf("pump-17"));
    }

    [Fact]
    public async Task InProcess_DueAsync_EarliestFirstUpToTheInstantAndLimit_MovedAndRemovedEntriesFollow()
    {
        var options = new TwinWakeOptions { Shards = 1 };
        var index = new InProcessTwinWakeIndex(options);

        index.Set("c", T0.AddSeconds(3));
        index.Set("a", T0.AddSeconds(1));
        index.Set("b", T0.AddSeconds(2));
        index.Set("d", T0.AddSeconds(10));
        Assert.Equal(["a", "b", "c"], await index.DueAsync(0, T0.AddSeconds(3), 10));
        Assert.Equal(["a", "b"], await index.DueAsync(0, T0.AddSeconds(9), 2));

        await index.SetAsync("a", T0.AddSeconds(20));
        index.Set("b", null);
        Assert.Equal(["c", "d", "a"], await index.DueAsync(0, T0.AddMinutes(1), 10));
        Assert.Equal(3, index.Count);
    }

    [Fact]
    public async Task InProcess_DevicesLandInTheirShard()
    {
        var options = new TwinWakeOptions { Shards = 4 };
        var index = new InProcessTwinWakeIndex(options);
        var ids = Enumerable.Range(0, 40).Select(i => $"dev-{i}").ToList();
        foreach (var id in ids)
        {
            index.Set(id, T0);
        }

        for (var shard = 0; shard < 4; shard++)
        {
            var due = await index.DueAsync(shard, T0, 100);
            Assert.Equal(ids.Where(id => options.ShardOf(id) == shard).Order(StringComparer.Ordinal), due);
        }
    }
}
