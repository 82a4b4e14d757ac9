using System.Net;
using System.Text.Json;
using DeviceTwins.EndToEndTests;

namespace DeviceTwins.ApiTests;

/// <summary>The two server-sent event streams: a twin's changes (resumable by version) and alert changes over Kafka (resumable by position).</summary>
[Collection(ApiCollection.Name)]
public sealed class LiveChangesTests(ApiFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task TwinChanges_EventsInOrder_ResumeWithLastEventId()
    {
        var id = ApiFixture.NewDeviceId("sse");
        var ts = fixture.Clock.GetUtcNow().AddSeconds(-30);
        await fixture.ProduceAsync(id, ApiFixture.Telemetry(id, ts, ("temperature", 20)));
        await fixture.Reader.WaitForMessageCountAsync(id, 1);

        await using (var stream = await SseClient.OpenAsync(fixture.Reader, $"/api/devices/{id}/changes"))
        {
            var current = await stream.NextAsync(Timeout);
            Assert.Equal(("1", "twin"), (current.Id, current.Type));
            Assert.Equal(await GetRawAsync(id), current.Data);

            // The API runs in this process: a full collection here is one the stream's observer must survive.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();

            using (await fixture.Writer.PatchDesiredAsync(id, """{"rate":5}"""))
            {
            }

            // Pushed by the twin, not found by the stream's renewal, which comes only after a 15 s heartbeat.
            var desired = await stream.NextAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(("2", "twin"), (desired.Id, desired.Type));
            Assert.Equal(await GetRawAsync(id), desired.Data);
            JsonNaming.AssertCamelCase(JsonDocument.Parse(desired.Data).RootElement);

            using (await fixture.Writer.PutTagsAsync(id, """{"site":"sse"}"""))
            {
            }

            Assert.Equal("3", (await stream.NextAsync(Timeout)).Id);
            await fixture.ProduceAsync(id, ApiFixture.Telemetry(id, ts.AddSeconds(1), ("temperature", 21)));
            var reported = await stream.NextAsync(Timeout);
            Assert.Equal("4", reported.Id);
            Assert.Equal(2, JsonDocument.Parse(reported.Data).RootElement.GetProperty("messageCount").GetInt64());
        }

        // Resuming after the latest version sends nothing until the next change; after an older one, the latest at once.
        // The test server sends a stream's headers with its first bytes, so the change is made while the stream opens.
        var opening = SseClient.OpenAsync(fixture.Reader, $"/api/devices/{id}/changes", lastEventId: "4");
        using (await fixture.Writer.PatchDesiredAsync(id, """{"rate":6}"""))
        {
        }

        await using (var resumed = await opening)
        {
            Assert.Equal("5", (await resumed.NextAsync(Timeout)).Id);
        }

        await using (var behind = await SseClient.OpenAsync(fixture.Reader, $"/api/devices/{id}/changes?lastEventId=2"))
        {
            var latest = await behind.NextAsync(Timeout);
            Assert.Equal("5", latest.Id);
            Assert.Equal(await GetRawAsync(id), latest.Data);
        }
    }

    [Fact]
    public async Task TwinChanges_UnknownDevice404_MalformedLastEventId400()
    {
        var id = ApiFixture.NewDeviceId("nosse");
        using (var unknown = await fixture.Reader.GetAsync(new Uri($"/api/devices/{id}/changes", UriKind.Relative)))
        {
            await Problems.AssertAsync(unknown, HttpStatusCode.NotFound, "Device not found");
        }

        foreach (var lastEventId in new[] { "abc", "-1", "1.5", "99999999999999999999" })
        {
            using var bad = await fixture.Reader.SendAsync("GET", $"/api/devices/{id}/changes", headers: ("Last-Event-ID", lastEventId));
            await Problems.AssertAsync(bad, HttpStatusCode.BadRequest, "Invalid Last-Event-ID");
        }
    }

    [Fact]
    public async Task AlertStream_RaiseAndClearInOrder_ResumeRepeatsNothing()
    {
        var id = ApiFixture.NewDeviceId("alarm");
        // From the alerts topic's end: the test server sends a stream's headers with its first bytes, so the alert is
        // raised while the stream opens, at a position it is sure to read.
        var opening = SseClient.OpenAsync(fixture.Reader, "/api/alerts/stream", lastEventId: "0:" + fixture.AlertsEnd().ToString(System.Globalization.CultureInfo.InvariantCulture));
        var ts = fixture.Clock.GetUtcNow().AddSeconds(-30);
        await fixture.ProduceAsync(id, ApiFixture.Telemetry(id, ts, ("load", 98)));
        await using var stream = await opening;
        var raised = await NextOfAsync(stream, id);
        Assert.Equal("alert", raised.Type);
        Assert.Equal("0:", raised.Id[..2]);
        var raisedAlert = JsonDocument.Parse(raised.Data).RootElement;
        Assert.Equal("raised", raisedAlert.GetProperty("state").GetString());
        Assert.Equal("overload", raisedAlert.GetProperty("rule").GetString());
        JsonNaming.AssertCamelCase(raisedAlert);

        await fixture.ProduceAsync(id, ApiFixture.Telemetry(id, ts.AddSeconds(1), ("load", 10)));
        var cleared = await NextOfAsync(stream, id);
        Assert.Equal("cleared", JsonDocument.Parse(cleared.Data).RootElement.GetProperty("state").GetString());
        Assert.Equal(raisedAlert.GetProperty("id").GetString(), JsonDocument.Parse(cleared.Data).RootElement.GetProperty("id").GetString());

        // Resuming from the raise's id reads exactly what followed it: the clear comes next, the raise never again.
        await using var resumed = await SseClient.OpenAsync(fixture.Reader, "/api/alerts/stream", lastEventId: raised.Id);
        var next = await NextOfAsync(resumed, id);
        Assert.Equal(cleared, next);
    }

    [Fact]
    public async Task AlertStream_MalformedLastEventId_400()
    {
        foreach (var lastEventId in new[] { "abc", "0:-1", "0:1,0:2", ":5", "0:", "x:1" })
        {
            using var bad = await fixture.Reader.SendAsync("GET", "/api/alerts/stream", headers: ("Last-Event-ID", lastEventId));
            await Problems.AssertAsync(bad, HttpStatusCode.BadRequest, "Invalid Last-Event-ID");
        }
    }

    [Fact]
    public async Task TwinChanges_CommandStateChanges_AreEventsWithoutAnId_InOrder()
    {
        var id = ApiFixture.NewDeviceId("sse-cmd");
        var ts = fixture.Clock.GetUtcNow().AddSeconds(-30);
        await fixture.ProduceAsync(id, ApiFixture.Telemetry(id, ts, ("temperature", 20)));
        await fixture.Reader.WaitForMessageCountAsync(id, 1);

        await using var stream = await SseClient.OpenAsync(fixture.Reader, $"/api/devices/{id}/changes");
        Assert.Equal(("1", "twin"), await Kind(stream));
        using var posted = await fixture.Writer.SendAsync("POST", $"/api/devices/{id}/commands", """{"name":"reboot"}""", "application/json");
        var commandId = (await posted.JsonAsync()).GetProperty("id").GetString();
        await fixture.ProduceAsync(id, $$$"""{"deviceId":"{{{id}}}","ts":"{{{ts.AddSeconds(1):O}}}","commandResult":{"commandId":"{{{commandId}}}","status":"succeeded"}}""");

        var seen = new List<string>();
        while (seen.Count < 3)
        {
            var next = await stream.NextAsync(Timeout);
            if (next.Type == "command")
            {
                // No id of its own: a reconnecting client resumes from the twin version it saw last.
                Assert.True(string.IsNullOrEmpty(next.Id) || next.Id == "1", next.Id);
                var command = JsonDocument.Parse(next.Data).RootElement;
                Assert.Equal(commandId, command.GetProperty("id").GetString());
                seen.Add(command.GetProperty("state").GetString()!);
            }
        }

        Assert.Equal(["queued", "sent", "succeeded"], seen);
    }

    private static async Task<(string Id, string Type)> Kind(SseClient stream)
    {
        var next = await stream.NextAsync(Timeout);
        return (next.Id, next.Type);
    }

    private static async Task<(string Id, string Type, string Data)> NextOfAsync(SseClient stream, string deviceId)
    {
        while (true)
        {
            var next = await stream.NextAsync(Timeout);
            if (JsonDocument.Parse(next.Data).RootElement.GetProperty("deviceId").GetString() == deviceId)
            {
                return next;
            }
        }
    }

    private async Task<string> GetRawAsync(string id) => (await fixture.Reader.GetJsonAsync($"/api/devices/{id}")).GetRawText();
}
