using DeviceTwins.Grains.Interfaces.Models;
using DeviceTwins.Grains.Twin;
using DeviceTwins.Silo.Extensions;
using DeviceTwins.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace DeviceTwins.UnitTests.Storage;

/// <summary>The twin store's serializer reuses one buffer per thread, rents payload arrays, and writes exactly Orleans' bytes.</summary>
public sealed class PooledGrainStorageSerializerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Serialize_LargeThenSmallState_WritesOrleansBytesEachTime()
    {
        var (provider, orleans, pooled) = Serializers();
        using var _ = provider;
        var large = State(messages: 300, metrics: 200);
        var small = State(messages: 1, metrics: 1);

        var largeBytes = pooled.Serialize(large).ToArray();
        var smallBytes = pooled.Serialize(small).ToArray();

        // The small state follows a large one in the same buffer: nothing of the large one may trail it.
        Assert.Equal(orleans.Serialize(large).ToArray(), largeBytes);
        Assert.Equal(orleans.Serialize(small).ToArray(), smallBytes);
        Assert.True(largeBytes.Length > 4096, "the large state must outgrow the buffer's first size");
        var copy = pooled.Deserialize<DeviceTwinState>(new BinaryData(smallBytes))!;
        Assert.Equal(small.MessageCount, copy.MessageCount);
        Assert.Equal(small.Metrics.Keys, copy.Metrics.Keys);
    }

    [Fact]
    public void Serialize_StateLargerThanTheRetainedBuffer_IsWhole()
    {
        using var provider = new ServiceCollection().AddSerializer().AddAnalyticsSerialization().BuildServiceProvider();
        var serializer = provider.GetRequiredService<Serializer>();
        var huge = State(messages: 2, metrics: 6000);

        var bytes = new PooledGrainStorageSerializer(serializer).Serialize(huge).ToArray();

        Assert.True(bytes.Length > 256 * 1024, "the state must exceed what a thread keeps");
        Assert.Equal(new OrleansGrainStorageSerializer(serializer).Serialize(huge).ToArray(), bytes);
    }

    [Fact]
    public void SerializeRented_AfterALargerRentedStateWasReturned_IsExactlyOrleansBytes()
    {
        var (provider, orleans, pooled) = Serializers();
        using var _ = provider;
        var large = State(messages: 300, metrics: 200);
        var small = State(messages: 1, metrics: 1);

        var first = pooled.SerializeRented(large);
        Assert.Equal(orleans.Serialize(large).ToArray(), first.ToArray());
        PooledGrainStorageSerializer.Return(first);

        // The segment is the state's length whatever the array the pool hands out; nothing of the large state trails it.
        var second = pooled.SerializeRented(small);
        Assert.Equal(orleans.Serialize(small).ToArray(), second.ToArray());
        PooledGrainStorageSerializer.Return(second);
        PooledGrainStorageSerializer.Return(default);
    }

    [Fact]
    public void SerializeRented_AStateLargerThanTheSmallPoolsArrays_IsOrleansBytes_AndItsArrayIsReusedOnceReturned()
    {
        var (provider, orleans, pooled) = Serializers();
        using var _ = provider;
        // One large string: hundreds of KB of payload in a few objects, so the serializer's own session allocates little.
        var large = State(messages: 2, metrics: 1);
        large.Documents.Reported = "{\"blob\":\"" + new string('x', 400 * 1024) + "\"}";
        var expected = orleans.Serialize(large).ToArray();
        Assert.True(expected.Length > 256 * 1024, "the state must exceed the small pool's largest array");

        var first = pooled.SerializeRented(large);
        Assert.Equal(expected, first.ToArray());
        PooledGrainStorageSerializer.Return(first);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var second = pooled.SerializeRented(large);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(expected, second.ToArray());
        Assert.Same(first.Array, second.Array);
        Assert.True(allocated < 64 * 1024, $"allocated {allocated:N0} bytes for a payload of {expected.Length:N0}");
        PooledGrainStorageSerializer.Return(second);
    }

    private static (ServiceProvider Provider, OrleansGrainStorageSerializer Orleans, PooledGrainStorageSerializer Pooled) Serializers()
    {
        var provider = new ServiceCollection().AddSerializer().AddAnalyticsSerialization().BuildServiceProvider();
        var serializer = provider.GetRequiredService<Serializer>();
        return (provider, new OrleansGrainStorageSerializer(serializer), new PooledGrainStorageSerializer(serializer));
    }

    private static DeviceTwinState State(int messages, int metrics)
    {
        var state = new DeviceTwinState { MessageCount = messages, Version = messages, UpdatedAt = T0 };
        for (var i = 0; i < metrics; i++)
        {
            state.Metrics.Set($"metric-with-a-long-name-{i:D5}", new MetricReading(i * 1.5, T0.AddSeconds(i)));
        }

        return state;
    }
}
