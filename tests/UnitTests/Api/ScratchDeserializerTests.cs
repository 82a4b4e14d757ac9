using Confluent.Kafka;
using DeviceTwins.Api.Changes;

namespace DeviceTwins.UnitTests.Api;

public sealed class ScratchDeserializerTests
{
    private static readonly SerializationContext Context = new(MessageComponentType.Value, "iot.alerts");

    [Fact]
    public void Deserialize_ReturnsTheBytes_InOneBufferReused_UntilALongerRecordGrowsIt()
    {
        var scratch = new ScratchDeserializer();

        var first = scratch.Deserialize("abc"u8, false, Context);
        Assert.Equal("abc"u8.ToArray(), first.ToArray());
        var second = scratch.Deserialize("de"u8, false, Context);
        Assert.Equal("de"u8.ToArray(), second.ToArray());
        // The same buffer: what was returned before is overwritten, as the type's contract says.
        Assert.Equal("dec"u8.ToArray(), first.ToArray());

        var large = Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray();
        var third = scratch.Deserialize(large, false, Context);
        Assert.Equal(large, third.ToArray());
        Assert.Equal("abc"u8.ToArray(), scratch.Deserialize("abc"u8, false, Context).ToArray());
    }

    [Fact]
    public void Deserialize_ANullOrEmptyValue_IsEmpty_AndAllocatesNothing()
    {
        var scratch = new ScratchDeserializer();
        scratch.Deserialize("warm"u8, false, Context);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var empty = scratch.Deserialize(ReadOnlySpan<byte>.Empty, true, Context);
        var again = scratch.Deserialize("warm"u8, false, Context);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(empty.IsEmpty);
        Assert.Equal(4, again.Length);
        Assert.Equal(0, allocated);
    }
}
