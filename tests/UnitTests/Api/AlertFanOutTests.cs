using System.Text;
using System.Text.Json;
using DeviceTwins.Api.Changes;
using DeviceTwins.Api.Contracts;

namespace DeviceTwins.UnitTests.Api;

/// <summary>The shared side of the alert streams: fan-out, resume from what it keeps, slow streams cut off.</summary>
public sealed class AlertFanOutTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Attach_WithoutPosition_GetsEveryRecordPublishedAfter_InOrder_AndStartsAtTheFeedsPosition()
    {
        var fanOut = Started(keep: 10, buffer: 100, (0, 5), (1, 7));
        Publish(fanOut, 0, 5);

        Assert.True(fanOut.TryAttach(null, out var a, out var start));
        Assert.True(fanOut.TryAttach(null, out var b, out _));
        Publish(fanOut, 1, 7);
        Publish(fanOut, 0, 6);

        Assert.Equal(new Dictionary<int, long> { [0] = 6, [1] = 7 }, start);
        Assert.Empty(a!.Replay);
        Assert.Equal([(1, 7L), (0, 6L)], Drain(a));
        Assert.Equal([(1, 7L), (0, 6L)], Drain(b!));
        Assert.Equal(2, fanOut.Subscribers);
    }

    [Fact]
    public void Attach_AtAKeptPosition_ReplaysExactlyTheRecordsAfterIt()
    {
        var fanOut = Started(keep: 3, buffer: 100, (0, 0), (1, 0));
        for (var i = 0; i < 5; i++)
        {
            Publish(fanOut, 0, i);
        }

        Publish(fanOut, 1, 0);

        // Partition 0 keeps offsets 2, 3, 4; the stream left it before 3 and partition 1 before 0.
        Assert.True(fanOut.TryAttach(new Dictionary<int, long> { [0] = 3, [1] = 0 }, out var subscription, out var start));

        Assert.Equal([(0, 3L), (0, 4L), (1, 0L)], subscription!.Replay.Select(r => (r.Partition, r.Offset)));
        Assert.Equal(new Dictionary<int, long> { [0] = 3, [1] = 0 }, start);
    }

    [Theory]
    [InlineData(1L, 0L)] // older than the oldest kept record of partition 0 (2)
    [InlineData(6L, 0L)] // beyond what the feed has read
    [InlineData(3L, -1L)] // partition 1 not named
    public void Attach_AtAPositionTheFeedDoesNotHold_IsRefused(long partition0, long partition1)
    {
        var fanOut = Started(keep: 3, buffer: 100, (0, 0), (1, 0));
        for (var i = 0; i < 5; i++)
        {
            Publish(fanOut, 0, i);
        }

        var position = new Dictionary<int, long> { [0] = partition0 };
        if (partition1 >= 0)
        {
            position[1] = partition1;
        }

        Assert.False(fanOut.TryAttach(position, out var subscription, out _));
        Assert.Null(subscription);
        Assert.Equal(0, fanOut.Subscribers);
    }

    [Fact]
    public void SlowStream_IsCutOffWhenItsBufferIsFull_OthersKeepEverything()
    {
        var fanOut = Started(keep: 10, buffer: 2, (0, 0));
        Assert.True(fanOut.TryAttach(null, out var slow, out _));
        Assert.True(fanOut.TryAttach(null, out var fast, out _));

        Publish(fanOut, 0, 0);
        Publish(fanOut, 0, 1);
        Assert.Equal([(0, 0L), (0, 1L)], Drain(fast!));
        Publish(fanOut, 0, 2);

        Assert.True(slow!.Overflowed);
        Assert.Equal(2, slow.Events.Count);
        Assert.Equal([(0, 0L), (0, 1L)], Drain(slow));
        Assert.True(slow.Events.Completion.IsCompleted);
        Assert.False(fast!.Overflowed);
        Assert.Equal([(0, 2L)], Drain(fast));
        Assert.Equal(1, fanOut.Subscribers);

        // It resumes from its last record, which the feed still keeps.
        Assert.True(fanOut.TryAttach(new Dictionary<int, long> { [0] = 2 }, out var resumed, out _));
        Assert.Equal([(0, 2L)], resumed!.Replay.Select(r => (r.Partition, r.Offset)));
    }

    [Fact]
    public void Replay_GivesBackEachKeptRecordsOwnBytes_AfterItsSlotWasReusedForLongerAndShorterRecords()
    {
        var fanOut = Started(keep: 2, buffer: 10, (0, 0));
        var reasons = new[] { new string('a', 900), "b", new string('c', 300), new string('d', 40) };
        for (var offset = 0; offset < reasons.Length; offset++)
        {
            fanOut.Publish(0, offset, AlertJson($"pump-{offset}", reasons[offset]));
        }

        Assert.True(fanOut.TryAttach(new Dictionary<int, long> { [0] = 2 }, out var subscription, out _));

        Assert.Equal([(2L, "pump-2", reasons[2]), (3L, "pump-3", reasons[3])], subscription!.Replay.Select(Rendered));
    }

    [Fact]
    public void WithNoStreamAttached_ARecordMakesNoEvent_AndOnceTheSlotsHaveGrown_AllocatesNothing()
    {
        var made = 0;
        var fanOut = new AlertFanOut(keepPerPartition: 4, buffer: 10, (partition, offset, value) =>
        {
            made++;
            return AlertFeedEvent.FromRecord(partition, offset, value, JsonSerializerOptions.Web);
        });
        fanOut.Start(new Dictionary<int, long> { [0] = 0 });
        var value = AlertJson("pump-1", "over 90");
        for (var offset = 0; offset < 8; offset++)
        {
            fanOut.Publish(0, offset, value);
        }

        // The fewest bytes of three passes: the runtime may allocate on this thread once (tiering a method up).
        var fewest = long.MaxValue;
        for (var pass = 0; pass < 3; pass++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var offset = 8 + (pass * 100); offset < 108 + (pass * 100); offset++)
            {
                fanOut.Publish(0, offset, value);
            }

            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, made);
        Assert.Equal(0, fewest);
        Assert.True(fanOut.TryAttach(null, out var subscription, out _));
        fanOut.Publish(0, 308, value);
        Assert.True(subscription!.Events.TryRead(out var sent));
        Assert.Equal((308L, "pump-1", "over 90"), Rendered(sent));
        Assert.Equal(1, made);
    }

    [Fact]
    public void RecordsReadThroughOneReusedBuffer_KeepTheirOwnBytes_InTheStreamAndTheReplay()
    {
        // The feed reads every value into the same scratch buffer: the fan-out copies what it sends and keeps.
        var fanOut = Started(keep: 4, buffer: 10, (0, 0));
        Assert.True(fanOut.TryAttach(null, out var subscription, out _));
        var scratch = new ScratchDeserializer();
        var context = new Confluent.Kafka.SerializationContext(Confluent.Kafka.MessageComponentType.Value, "iot.alerts");
        for (var offset = 0; offset < 3; offset++)
        {
            var value = scratch.Deserialize(AlertJson($"pump-{offset}", new string((char)('x' + offset), 50 - (offset * 20))), false, context);
            fanOut.Publish(0, offset, value.Span);
        }

        var sent = new List<AlertFeedEvent>();
        while (subscription!.Events.TryRead(out var record))
        {
            sent.Add(record);
        }

        Assert.Equal([(0L, "pump-0", new string('x', 50)), (1L, "pump-1", new string('y', 30)), (2L, "pump-2", new string('z', 10))],
            sent.Select(Rendered));
        Assert.True(fanOut.TryAttach(new Dictionary<int, long> { [0] = 0 }, out var resumed, out _));
        Assert.Equal([(0L, "pump-0", new string('x', 50)), (1L, "pump-1", new string('y', 30)), (2L, "pump-2", new string('z', 10))],
            resumed!.Replay.Select(Rendered));
    }

    [Fact]
    public void Stop_EndsEveryStream_AndRefusesAttachUntilStartedAgain()
    {
        var fanOut = Started(keep: 10, buffer: 10, (0, 0));
        Assert.True(fanOut.TryAttach(null, out var subscription, out _));

        fanOut.Stop();

        Assert.True(subscription!.Events.Completion.IsCompleted);
        Assert.False(subscription.Overflowed);
        Assert.False(fanOut.TryAttach(null, out _, out _));
        fanOut.Start(new Dictionary<int, long> { [0] = 4 });
        Assert.True(fanOut.TryAttach(new Dictionary<int, long> { [0] = 4 }, out _, out _));
        Assert.False(fanOut.TryAttach(new Dictionary<int, long> { [0] = 3 }, out _, out _));
    }

    [Fact]
    public void Dispose_DetachesTheStream()
    {
        var fanOut = Started(keep: 0, buffer: 10, (0, 0));
        Assert.True(fanOut.TryAttach(null, out var subscription, out _));

        subscription!.Dispose();
        Publish(fanOut, 0, 0);

        Assert.Equal(0, fanOut.Subscribers);
        Assert.Empty(Drain(subscription));
        // Keeping nothing, only the feed's own position can be attached at.
        Assert.False(fanOut.TryAttach(new Dictionary<int, long> { [0] = 0 }, out _, out _));
        Assert.True(fanOut.TryAttach(new Dictionary<int, long> { [0] = 1 }, out _, out _));
    }

    private static AlertFanOut Started(int keep, int buffer, params (int Partition, long Next)[] positions)
    {
        var fanOut = new AlertFanOut(keep, buffer, static (partition, offset, value) => AlertFeedEvent.FromRecord(partition, offset, value, JsonSerializerOptions.Web));
        fanOut.Start(positions.ToDictionary(p => p.Partition, p => p.Next));
        return fanOut;
    }

    private static void Publish(AlertFanOut fanOut, int partition, long offset) =>
        fanOut.Publish(partition, offset, Encoding.UTF8.GetBytes($"{{\"offset\":{offset}}}"));

    private static byte[] AlertJson(string deviceId, string reason) => JsonSerializer.SerializeToUtf8Bytes(
        new AlertResponse($"{deviceId}/high", deviceId, null, "high", "threshold", "temperature", "warning", "raised", 95, T0, T0, null, null, null, reason, false, null, null),
        JsonSerializerOptions.Web);

    private static (long, string, string) Rendered(AlertFeedEvent record)
    {
        var data = JsonDocument.Parse(record.DataLines!["data: ".Length..]).RootElement;
        return (record.Offset, data.GetProperty("deviceId").GetString()!, data.GetProperty("reason").GetString()!);
    }

    private static List<(int, long)> Drain(AlertSubscription subscription)
    {
        var records = new List<(int, long)>();
        while (subscription.Events.TryRead(out var record))
        {
            records.Add((record.Partition, record.Offset));
        }

        return records;
    }
}
