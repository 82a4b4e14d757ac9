using DeviceTwins.Grains.Interfaces.Models;
using DeviceTwins.Streaming.Kafka.Providers;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Providers.Streams.Common;
using Orleans.Serialization;

namespace DeviceTwins.UnitTests.Streaming;

public sealed class KafkaBatchContainerTests
{
    private static readonly DateTimeOffset Ts = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void GetEvents_YieldsEachEventWithItsOffsetToken()
    {
        var container = new KafkaBatchContainer(StreamId.Create("telemetry", "d1"), [Telemetry(10), Telemetry(12)], [10, 12]);

        var events = container.GetEvents<TelemetryEvent>().ToList();

        Assert.Equal([10L, 12L], events.Select(e => e.Item1.Offset));
        Assert.Equal([new EventSequenceTokenV2(10), new EventSequenceTokenV2(12)], events.Select(e => e.Item2));
        Assert.Equal(new EventSequenceTokenV2(10), container.SequenceToken);
    }

    [Fact]
    public void Serializer_RoundTripsContainerAndTelemetry()
    {
        using var services = new ServiceCollection().AddSerializer().BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();
        var original = new KafkaBatchContainer(StreamId.Create("telemetry", "d1"), [Telemetry(10), Telemetry(12)], [10, 12]) { DeliveryFailed = true };

        var copy = serializer.Deserialize<KafkaBatchContainer>(serializer.SerializeToArray(original))!;

        Assert.Equal(original.StreamId, copy.StreamId);
        Assert.Equal(original.Offsets, copy.Offsets);
        var events = copy.GetEvents<TelemetryEvent>().Select(e => e.Item1).ToList();
        Assert.Equal(2, events.Count);
        Assert.Equal(Telemetry(10).Metrics, events[0].Metrics);
        Assert.Equal(Telemetry(12) with { Metrics = events[1].Metrics, Properties = events[1].Properties }, events[1]);
        Assert.False(copy.DeliveryFailed);
    }

    [Fact]
    public void Constructor_MismatchedOffsets_Throws()
    {
        Assert.Throws<ArgumentException>(() => new KafkaBatchContainer(StreamId.Create("telemetry", "d1"), [Telemetry(1)], [1, 2]));
    }

    private static TelemetryEvent Telemetry(long offset) =>
        new("d1", Ts, [new MetricSample("t", offset)], [new PropertySample("fw", "\"1\"")], "iot.telemetry", 2, offset);
}
