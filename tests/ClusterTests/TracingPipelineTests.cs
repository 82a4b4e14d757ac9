using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using DeviceTwins.Grains.Diagnostics;
using DeviceTwins.Streaming.Kafka.Providers;
using DeviceTwins.Testing;

namespace DeviceTwins.ClusterTests;

/// <summary>A record's trace, started by its producer, runs through its receipt and its twin's turn to the published alert.</summary>
[Collection(KafkaClusterCollection.Name)]
public sealed class TracingPipelineTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly KafkaClusterFixture _fixture;
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    public TracingPipelineTests(KafkaClusterFixture fixture)
    {
        _fixture = fixture;
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is KafkaTracing.SourceName or TwinTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task TracedRecord_ReceiptTurnAndPublicationShareItsTrace_TheAlertCarriesThePublicationsContext()
    {
        var device = "traced-" + Guid.NewGuid().ToString("N")[..8];
        var t0 = new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
        var traceId = ActivityTraceId.CreateRandom();
        var producerSpan = ActivitySpanId.CreateRandom();
        await _fixture.ProduceAsync("iot.telemetry", device, Load(device, t0, 10));
        await _fixture.Producer.ProduceAsync("iot.telemetry", new Message<byte[]?, byte[]?>
        {
            Key = Encoding.UTF8.GetBytes(device),
            Value = Encoding.UTF8.GetBytes(Load(device, t0.AddSeconds(1), 95)),
            Headers = new Headers { { KafkaTracing.TraceParentHeader, Encoding.ASCII.GetBytes($"00-{traceId}-{producerSpan}-01") } },
        });

        var alert = Assert.Single(await _fixture.ReadKeyedAsync(_fixture.Kafka.AlertsTopic, device, r => r.Count >= 1));
        var published = await Eventually.Until(
            () => Task.FromResult(_stopped.Where(a => a.TraceId == traceId).ToList()),
            spans => spans.Any(a => a.OperationName == "twin.publish"),
            Timeout,
            "the publication's activity");

        var receive = Assert.Single(published, a => a.OperationName == "kafka.receive");
        var apply = Assert.Single(published, a => a.OperationName == "twin.apply");
        var publish = Assert.Single(published, a => a.OperationName == "twin.publish");
        Assert.Equal(producerSpan, receive.ParentSpanId);
        Assert.Equal(receive.SpanId, apply.ParentSpanId);
        Assert.Equal(apply.SpanId, publish.ParentSpanId);
        Assert.Equal(device, apply.GetTagItem("devicetwins.device.id"));
        Assert.Equal("iot.telemetry", receive.GetTagItem("messaging.destination.name"));
        Assert.True(ActivityContext.TryParse(Encoding.ASCII.GetString(alert.Message.Headers.GetLastBytes(KafkaTracing.TraceParentHeader)), null, out var carried));
        Assert.Equal((traceId, publish.SpanId), (carried.TraceId, carried.SpanId));
    }

    [Fact]
    public async Task UntracedRecord_NoActivity_NoTraceHeaderOnItsAlert()
    {
        var device = "untraced-" + Guid.NewGuid().ToString("N")[..8];
        var t0 = new DateTimeOffset(2026, 11, 27, 12, 30, 0, TimeSpan.Zero);
        await _fixture.ProduceAsync("iot.telemetry", device, Load(device, t0, 10));
        await _fixture.ProduceAsync("iot.telemetry", device, Load(device, t0.AddSeconds(1), 95));

        var alert = Assert.Single(await _fixture.ReadKeyedAsync(_fixture.Kafka.AlertsTopic, device, r => r.Count >= 1));

        Assert.False(alert.Message.Headers.TryGetLastBytes(KafkaTracing.TraceParentHeader, out _));
        Assert.DoesNotContain(_stopped, a => Equals(a.GetTagItem("devicetwins.device.id"), device));
    }

    private static string Load(string device, DateTimeOffset ts, double load) =>
        string.Create(CultureInfo.InvariantCulture, $$$"""{"deviceId":"{{{device}}}","ts":"{{{ts:O}}}","metrics":{"load":{{{load}}}}}""");
}
