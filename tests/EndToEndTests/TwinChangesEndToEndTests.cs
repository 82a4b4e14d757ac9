using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using DeviceTwins.Testing;

namespace DeviceTwins.EndToEndTests;

/// <summary>Live twin changes over server-sent events, with records produced by kcat and a reconnect from the last event id.</summary>
public sealed class TwinChangesEndToEndTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ChangesStream_KcatRecords_EventsInOrder_ReconnectGetsLatestOnly()
    {
        await using var platform = new TestPlatform();
        await platform.StartKafkaAsync();
        await platform.StartSiloAsync("silo");
        const string device = "sse-pump-1";

        using (var missing = await platform.Http.GetAsync("/api/devices/sse-never-seen/changes"))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        }

        using (var invalid = await platform.Http.GetAsync("/api/devices/bad%20id!/changes"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        }

        await ProduceAsync(platform, device, 1);
        await platform.WaitForCountAsync(device, 1, Timeout);
        using (var request = new HttpRequestMessage(HttpMethod.Get, $"/api/devices/{device}/changes"))
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", "v1");
            using var malformed = await platform.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
            Assert.Equal("application/problem+json", malformed.Content.Headers.ContentType?.MediaType);
        }

        await using (var stream = await SseClient.OpenAsync(platform.Http, $"/api/devices/{device}/changes"))
        {
            // Without Last-Event-ID: the current twin first, in the shape of GET /api/devices/{id}.
            var first = await stream.NextAsync(Timeout);
            Assert.Equal(("1", "twin"), (first.Id, first.Type));
            var (_, current, _) = await platform.GetDeviceAsync(device);
            Assert.Equal(current.GetRawText(), JsonDocument.Parse(first.Data).RootElement.GetRawText());

            // Then each change as it is applied, in order.
            for (var seq = 2; seq <= 4; seq++)
            {
                await ProduceAsync(platform, device, seq);
                var change = await stream.NextAsync(Timeout);
                Assert.Equal((seq.ToString(CultureInfo.InvariantCulture), "twin"), (change.Id, change.Type));
                var twin = JsonDocument.Parse(change.Data).RootElement;
                Assert.Equal(seq, twin.GetProperty("version").GetInt64());
                Assert.Equal(seq, twin.GetProperty("metrics").GetProperty("temperature").GetProperty("value").GetDouble());
            }

            // A tags change is an event too.
            using var tags = await platform.Http.PutAsJsonAsync($"/api/devices/{device}/tags", new Dictionary<string, string> { ["site"] = "plant-a" });
            Assert.Equal(HttpStatusCode.OK, tags.StatusCode);
            var tagged = await stream.NextAsync(Timeout);
            Assert.Equal("5", tagged.Id);
            Assert.Equal("plant-a", JsonDocument.Parse(tagged.Data).RootElement.GetProperty("tags").GetProperty("site").GetString());
        }

        // Disconnected: two more records are applied.
        await ProduceAsync(platform, device, 6);
        await ProduceAsync(platform, device, 7);
        await platform.WaitForCountAsync(device, 6, Timeout);

        await using (var resumed = await SseClient.OpenAsync(platform.Http, $"/api/devices/{device}/changes", "5"))
        {
            // The missed versions are coalesced into the latest; nothing at or below 5 is repeated.
            var latest = await resumed.NextAsync(Timeout);
            Assert.Equal("7", latest.Id);
            Assert.Equal(7, JsonDocument.Parse(latest.Data).RootElement.GetProperty("metrics").GetProperty("temperature").GetProperty("value").GetDouble());
        }

        // Up to date: the stand-alone API (an Orleans client) sends nothing until the next change, which comes next.
        using var api = await platform.StartApiAsync();
        await using var remote = await SseClient.OpenAsync(api, $"/api/devices/{device}/changes?lastEventId=7");
        var pending = remote.NextAsync(Timeout);
        await ProduceAsync(platform, device, 8);
        var next = await pending;
        Assert.Equal("8", next.Id);
        Assert.Equal(8, JsonDocument.Parse(next.Data).RootElement.GetProperty("metrics").GetProperty("temperature").GetProperty("value").GetDouble());
    }

    private static Task ProduceAsync(TestPlatform platform, string device, int seq) => platform.ProduceWithKcatAsync(
        "iot.telemetry",
        [string.Create(CultureInfo.InvariantCulture, $$$"""{{{device}}}|{"deviceId":"{{{device}}}","ts":"{{{T0.AddSeconds(seq):yyyy-MM-ddTHH:mm:ss.fffZ}}}","metrics":{"temperature":{{{seq}}}}}""")]);
}
