using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using DeviceTwins.Testing;

namespace DeviceTwins.EndToEndTests;

/// <summary>
/// The alert stream over server-sent events: an injected overload arrives raised then cleared; resuming repeats nothing;
/// many streams share the process's one reader.
/// </summary>
public sealed class AlertStreamEndToEndTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 5, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private const string Device = "sse-boiler-1";

    [Fact]
    public async Task AlertStream_Overload_RaisedThenCleared_ResumeFromLastIdRepeatsNothing()
    {
        await using var platform = new TestPlatform();
        await platform.StartKafkaAsync();
        await platform.StartSiloAsync("silo", settings: TestPlatform.OverloadRule);

        using (var malformed = await platform.Http.GetAsync("/api/alerts/stream?lastEventId=0:x"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
            Assert.Equal("application/problem+json", malformed.Content.Headers.ContentType?.MediaType);
        }

        var seen = new List<(string Id, JsonElement Alert)>();
        await using (var stream = await SseClient.OpenAsync(platform.Http, "/api/alerts/stream"))
        {
            await ProduceExcursionAsync(platform, 0);
            var raised = await NextOverloadAsync(stream, seen);
            var cleared = await NextOverloadAsync(stream, seen);
            Assert.Equal("raised", raised.Alert.GetProperty("state").GetString());
            Assert.Equal("cleared", cleared.Alert.GetProperty("state").GetString());
            Assert.Equal(raised.Alert.GetProperty("id").GetString(), cleared.Alert.GetProperty("id").GetString());
            Assert.Equal(T0.AddSeconds(30), raised.Alert.GetProperty("eventTime").GetDateTimeOffset());
            Assert.Equal(T0.AddSeconds(35), cleared.Alert.GetProperty("clearedAt").GetDateTimeOffset());

            // The data is the alert as GET /api/alerts serves it.
            // The index is updated just after the topic: wait for the clear to reach it.
            var alertId = cleared.Alert.GetProperty("id").GetString();
            var listed = await Eventually.Until(
                async () => (await platform.Http.GetFromJsonAsync<JsonElement>("/api/alerts?limit=1000")).GetProperty("items").EnumerateArray().SingleOrDefault(a => a.GetProperty("id").GetString() == alertId),
                a => a.ValueKind == JsonValueKind.Object && a.GetProperty("state").GetString() == "cleared",
                Timeout,
                a => $"alert {alertId} cleared in GET /api/alerts; last {a.ValueKind}");
            Assert.Equal(listed.GetRawText(), cleared.Alert.GetRawText());
        }

        var raisedId = seen.Single(e => e.Alert.GetProperty("state").GetString() == "raised").Id;
        var clearedId = seen.Single(e => e.Alert.GetProperty("state").GetString() == "cleared").Id;

        // Resuming from the raise gives the clear next, exactly.
        await using (var fromRaise = await SseClient.OpenAsync(platform.Http, "/api/alerts/stream", raisedId))
        {
            var next = await fromRaise.NextAsync(Timeout);
            Assert.Equal(clearedId, next.Id);
            Assert.Equal("cleared", JsonDocument.Parse(next.Data).RootElement.GetProperty("state").GetString());
        }

        // Resuming from the clear gives nothing already received: the next event is the following overload's raise.
        await using var resumed = await SseClient.OpenAsync(platform.Http, "/api/alerts/stream", clearedId);
        await ProduceExcursionAsync(platform, 80);
        var again = new List<(string Id, JsonElement Alert)>();
        var second = await NextOverloadAsync(resumed, again);
        Assert.Equal("raised", second.Alert.GetProperty("state").GetString());
        Assert.NotEqual(seen[0].Alert.GetProperty("id").GetString(), second.Alert.GetProperty("id").GetString());
        Assert.Equal(T0.AddSeconds(110), second.Alert.GetProperty("eventTime").GetDateTimeOffset());
        Assert.DoesNotContain(again, e => seen.Any(s => s.Id == e.Id || s.Alert.GetRawText() == e.Alert.GetRawText()));
    }

    [Fact]
    public async Task ManyAlertStreams_ShareOneReader_EachGetsEveryChangeOnce_AResumeFromTheStartCatchesUpThenAttaches()
    {
        const int Streams = 40;
        await using var platform = new TestPlatform();
        await platform.StartKafkaAsync();
        // Keep nothing for resumes: a stream from the topic's start must read it itself, then hand over at the feed's position.
        var settings = new Dictionary<string, string>(TestPlatform.OverloadRule) { ["Api__Limits__AlertReplayPerPartition"] = "0" };
        await platform.StartSiloAsync("silo", settings: settings);

        await using var first = await SseClient.OpenAsync(platform.Http, "/api/alerts/stream");
        var streams = new List<SseClient> { first };
        try
        {
            // A stream attaches once the feed reads the topic; until then it reads it itself and attaches when caught up.
            await Eventually.Until(() => FeedStreamsAsync(platform), n => n == 1, Timeout, n => $"the first stream attached to the feed; {n} attached");
            for (var i = 1; i < Streams; i++)
            {
                streams.Add(await SseClient.OpenAsync(platform.Http, "/api/alerts/stream"));
            }

            // The exporter caches a scrape for a moment.
            await Eventually.Until(() => FeedStreamsAsync(platform), n => n == Streams, Timeout, n => $"{Streams} streams attached; {n} attached");
            await ProduceExcursionAsync(platform, 0);

            var received = new List<(string Id, string Raise, string Clear)>();
            foreach (var stream in streams)
            {
                var events = new List<(string Id, JsonElement Alert)>();
                var raised = await NextOverloadAsync(stream, events);
                var cleared = await NextOverloadAsync(stream, events);
                Assert.Equal(2, events.Count);
                received.Add((raised.Id + "|" + cleared.Id, raised.Alert.GetRawText(), cleared.Alert.GetRawText()));
            }

            // Every stream saw the same two events, with the same ids and data, and nothing else.
            Assert.Single(received.Distinct());
            var (ids, raise, clear) = received[0];

            // From the topic's start: the first raise and clear come from the stream's own reader, then it attaches.
            await using var fromStart = await SseClient.OpenAsync(platform.Http, "/api/alerts/stream", "0:0");
            var historic = new List<(string Id, JsonElement Alert)>();
            Assert.Equal(raise, (await NextOverloadAsync(fromStart, historic)).Alert.GetRawText());
            Assert.Equal(clear, (await NextOverloadAsync(fromStart, historic)).Alert.GetRawText());
            Assert.Equal(ids, historic[0].Id + "|" + historic[1].Id);
            await Eventually.Until(() => FeedStreamsAsync(platform), n => n == Streams + 1, Timeout, n => $"the stream from the start attached; {n} attached");

            await ProduceExcursionAsync(platform, 80);
            var next = await NextOverloadAsync(fromStart, historic);
            Assert.Equal("raised", next.Alert.GetProperty("state").GetString());
            Assert.Equal(T0.AddSeconds(110), next.Alert.GetProperty("eventTime").GetDateTimeOffset());
            var live = await NextOverloadAsync(first, []);
            Assert.Equal((live.Id, live.Alert.GetRawText()), (next.Id, next.Alert.GetRawText()));
        }
        finally
        {
            foreach (var stream in streams.Skip(1))
            {
                await stream.DisposeAsync();
            }
        }
    }

    private static async Task<int> FeedStreamsAsync(TestPlatform platform)
    {
        var metrics = await platform.Http.GetStringAsync("/metrics");
        var line = metrics.Split('\n').SingleOrDefault(l => l.StartsWith("devicetwins_api_alert_feed_streams", StringComparison.Ordinal));
        return line is null ? -1 : (int)double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
    }

    // 80 s of load 20 from second `from`, with a 5 s excursion to 95 at its 30th second.
    private static Task ProduceExcursionAsync(TestPlatform platform, int from) => platform.ProduceWithKcatAsync(
        "iot.telemetry",
        Enumerable.Range(from, 80).Select(i => string.Create(
            CultureInfo.InvariantCulture,
            $$$"""{{{Device}}}|{"deviceId":"{{{Device}}}","ts":"{{{T0.AddSeconds(i):O}}}","metrics":{"load":{{{(i - from is >= 30 and < 35 ? 95 : 20)}}}}}""")));

    // The next event of this test's device and rule; every event read on the way is kept, to check none repeats.
    private static async Task<(string Id, JsonElement Alert)> NextOverloadAsync(SseClient stream, List<(string Id, JsonElement Alert)> received)
    {
        while (true)
        {
            var next = await stream.NextAsync(Timeout);
            Assert.Equal("alert", next.Type);
            var alert = JsonDocument.Parse(next.Data).RootElement;
            received.Add((next.Id, alert));
            if (alert.GetProperty("deviceId").GetString() == Device && alert.GetProperty("rule").GetString() == "overload")
            {
                return (next.Id, alert);
            }
        }
    }
}
