using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using DeviceTwins.Testing;

namespace DeviceTwins.EndToEndTests;

/// <summary>
/// What an alert consumer sees: kcat writes an anomaly, kcat reads exactly one raise and one clear on the alerts topic
/// and the closed window on the aggregates topic; HTTP lists, pages and acknowledges alerts.
/// </summary>
public sealed class AlertsEndToEndTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task KcatAnomaly_OneRaiseAndOneClearOnTheAlertsTopic_WindowsOnTheAggregatesTopic_AlertsOverHttp()
    {
        await using var platform = new TestPlatform();
        await platform.StartKafkaAsync();
        await platform.StartSiloAsync("silo", settings: TestPlatform.OverloadRule);

        // boiler-1: 80 s of load 20 with a 5 s excursion to 95; boiler-2 ends overloaded, so its alert stays active.
        var lines = new List<string>();
        for (var i = 0; i < 80; i++)
        {
            lines.Add("boiler-1|" + Record("boiler-1", T0.AddSeconds(i), i is >= 30 and < 35 ? 95 : 20));
        }

        for (var i = 0; i < 5; i++)
        {
            lines.Add("boiler-2|" + Record("boiler-2", T0.AddSeconds(i), i < 3 ? 20 : 99));
        }

        await platform.ProduceWithKcatAsync("iot.telemetry", lines);
        await platform.WaitForCountAsync("boiler-1", 80, TimeSpan.FromSeconds(60));
        await platform.WaitForCountAsync("boiler-2", 5, TimeSpan.FromSeconds(60));

        var overload = await Eventually.Until(
            async () => (await platform.ReadWithKcatAsync("iot.alerts", "%k|%s\\n")).Where(l => l.StartsWith("boiler-1|", StringComparison.Ordinal) && l.Contains("\"rule\":\"overload\"", StringComparison.Ordinal)).ToList(),
            l => l.Count >= 2,
            TimeSpan.FromSeconds(60),
            "a raise and a clear of boiler-1");
        Assert.Equal(2, overload.Count);
        var raised = Json(overload[0]);
        var cleared = Json(overload[1]);
        Assert.Equal("raised", raised.GetProperty("state").GetString());
        Assert.Equal("cleared", cleared.GetProperty("state").GetString());
        Assert.Equal(raised.GetProperty("id").GetString(), cleared.GetProperty("id").GetString());
        Assert.Equal(T0.AddSeconds(30), raised.GetProperty("eventTime").GetDateTimeOffset());
        Assert.Equal(T0.AddSeconds(35), cleared.GetProperty("clearedAt").GetDateTimeOffset());
        Assert.Contains("above 90", raised.GetProperty("reason").GetString(), StringComparison.Ordinal);

        // Both records explain the raise; the clear also explains itself: the statistic against the threshold it crossed.
        foreach (var record in new[] { raised, cleared })
        {
            var raise = record.GetProperty("raise");
            Assert.Equal((95.0, T0.AddSeconds(30), "value", 95.0, 90.0), (raise.GetProperty("value").GetDouble(), raise.GetProperty("eventTime").GetDateTimeOffset(),
                raise.GetProperty("statistic").GetString(), raise.GetProperty("score").GetDouble(), raise.GetProperty("threshold").GetDouble()));
        }

        Assert.Equal(JsonValueKind.Null, raised.GetProperty("clear").ValueKind);
        var clear = cleared.GetProperty("clear");
        Assert.Equal((20.0, T0.AddSeconds(35), "load 20 back below 50", 50.0), (clear.GetProperty("value").GetDouble(), clear.GetProperty("eventTime").GetDateTimeOffset(),
            clear.GetProperty("reason").GetString(), clear.GetProperty("threshold").GetDouble()));

        // The window [06:00, 06:01) closed when event time passed 06:01:10; the next one is still open.
        var windows = (await platform.ReadWithKcatAsync("iot.aggregates", "%k|%s\\n")).Where(l => l.StartsWith("boiler-1|", StringComparison.Ordinal)).Select(Json).ToList();
        var window = Assert.Single(windows);
        Assert.Equal(T0, window.GetProperty("start").GetDateTimeOffset());
        Assert.Equal(60, window.GetProperty("count").GetInt64());
        Assert.Equal(20, window.GetProperty("min").GetDouble());
        Assert.Equal(95, window.GetProperty("max").GetDouble());
        Assert.Equal((55 * 20) + (5 * 95), window.GetProperty("sum").GetDouble());

        // HTTP: the device's alerts, its windows and rules, the fleet's alerts with paging, acknowledgement.
        var deviceAlerts = await platform.Http.GetFromJsonAsync<JsonElement>("/api/devices/boiler-1/alerts");
        var overloadAlert = deviceAlerts.EnumerateArray().Single(a => a.GetProperty("rule").GetString() == "overload");
        Assert.Equal("cleared", overloadAlert.GetProperty("state").GetString());
        var aggregates = await platform.Http.GetFromJsonAsync<JsonElement>("/api/devices/boiler-1/aggregates?metric=load&from=2026-11-27T06:00:00Z&to=2026-11-27T06:01:00Z");
        Assert.Equal(60, Assert.Single(aggregates.EnumerateArray()).GetProperty("count").GetInt64());
        using (var tagged = await platform.Http.PutAsJsonAsync("/api/devices/boiler-1/tags", new Dictionary<string, string> { ["site"] = "plant-a", ["model"] = "b-200" }))
        {
            Assert.Equal(HttpStatusCode.OK, tagged.StatusCode);
            var twin = await tagged.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("plant-a", twin.GetProperty("tags").GetProperty("site").GetString());
            Assert.Equal($"\"{twin.GetProperty("version").GetInt64()}\"", tagged.Headers.ETag?.Tag);
        }

        var reread = await platform.Http.GetFromJsonAsync<JsonElement>("/api/devices/boiler-1");
        Assert.Equal("b-200", reread.GetProperty("tags").GetProperty("model").GetString());
        var rules = await platform.Http.GetFromJsonAsync<JsonElement>("/api/devices/boiler-1/rules");
        Assert.Equal(["anomaly", "offline", "overload"], rules.EnumerateArray().Select(r => r.GetProperty("name").GetString()));

        var active = await platform.Http.GetFromJsonAsync<JsonElement>("/api/alerts?state=active");
        var boiler2 = active.GetProperty("items").EnumerateArray().Single(a => a.GetProperty("deviceId").GetString() == "boiler-2" && a.GetProperty("rule").GetString() == "overload");
        var boiler2Id = boiler2.GetProperty("id").GetString()!;
        Assert.DoesNotContain(active.GetProperty("items").EnumerateArray(), a => a.GetProperty("state").GetString() == "cleared");

        var all = await ReadAllPagesAsync(platform.Http, "/api/alerts?state=all&limit=1");
        Assert.Contains(raised.GetProperty("id").GetString(), all);
        Assert.Contains(boiler2Id, all);
        Assert.Equal(all.Count, all.Distinct().Count());

        using (var ack = await platform.Http.PostAsync($"/api/alerts/{boiler2Id}/ack", null))
        {
            Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
            Assert.Equal("acknowledged", (await ack.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());
        }

        using (var again = await platform.Http.PostAsync($"/api/alerts/{boiler2Id}/ack", null))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }

        var acknowledged = await Eventually.Until(
            async () => (await platform.ReadWithKcatAsync("iot.alerts", "%k|%s\\n")).Where(l => l.StartsWith("boiler-2|", StringComparison.Ordinal) && l.Contains("\"state\":\"acknowledged\"", StringComparison.Ordinal)).ToList(),
            l => l.Count >= 1,
            TimeSpan.FromSeconds(30),
            "the acknowledgement of boiler-2's alert on the alerts topic");
        Assert.Single(acknowledged);

        using (var cleared409 = await platform.Http.PostAsync($"/api/alerts/{raised.GetProperty("id").GetString()}/ack", null))
        {
            await AssertProblemAsync(cleared409, HttpStatusCode.Conflict);
        }
    }

    [Fact]
    public async Task BadAlertRequests_Get400Problems()
    {
        await using var platform = new TestPlatform();
        await platform.StartKafkaAsync();
        await platform.StartSiloAsync("silo");
        string[] paths =
        [
            "/api/alerts?state=bogus",
            "/api/alerts?limit=0",
            "/api/alerts?limit=1001",
            "/api/alerts?cursor=not-a-cursor",
            "/api/devices/boiler-1/aggregates?from=yesterday",
            "/api/devices/boiler-1/aggregates?from=2026-11-27T06:01:00Z&to=2026-11-27T06:00:00Z",
            "/api/devices/bad%20id/alerts",
            "/api/devices/bad%20id/aggregates",
            "/api/devices/bad%20id/rules",
        ];
        foreach (var path in paths)
        {
            using var response = await platform.Http.GetAsync(path);
            await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        }

        string[] badTags = ["[1,2]", """{"site":1}""", """{"bad key":"x"}""", "{not json", """{"a":"x","a":"y"}""", "{" + string.Join(',', Enumerable.Range(0, 65).Select(i => $"\"k{i}\":\"v\"")) + "}"];
        foreach (var body in badTags)
        {
            using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
            using var response = await platform.Http.PutAsync("/api/devices/boiler-1/tags", content);
            await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        }

        using (var unknown = await platform.Http.PutAsJsonAsync("/api/devices/never-seen/tags", new Dictionary<string, string> { ["site"] = "x" }))
        {
            await AssertProblemAsync(unknown, HttpStatusCode.NotFound);
        }

        using var badAck = await platform.Http.PostAsync("/api/alerts/not-an-id/ack", null);
        await AssertProblemAsync(badAck, HttpStatusCode.BadRequest);
        using var unknownAck = await platform.Http.PostAsync("/api/alerts/" + new string('0', 32) + "/ack", null);
        await AssertProblemAsync(unknownAck, HttpStatusCode.NotFound);
    }

    private static async Task<List<string>> ReadAllPagesAsync(HttpClient http, string first)
    {
        var ids = new List<string>();
        var path = first;
        for (var pages = 0; pages < 100; pages++)
        {
            var page = await http.GetFromJsonAsync<JsonElement>(path);
            ids.AddRange(page.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("id").GetString()!));
            // The last page has no cursor (null members are left out of responses).
            if (!page.TryGetProperty("next", out var next) || next.ValueKind == JsonValueKind.Null)
            {
                return ids;
            }

            path = first + "&cursor=" + Uri.EscapeDataString(next.GetString()!);
        }

        throw new InvalidOperationException("More than 100 pages of alerts.");
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
    }

    private static JsonElement Json(string keyedLine)
    {
        using var document = JsonDocument.Parse(keyedLine[(keyedLine.IndexOf('|', StringComparison.Ordinal) + 1)..]);
        return document.RootElement.Clone();
    }

    private static string Record(string device, DateTimeOffset ts, double load) =>
        string.Create(CultureInfo.InvariantCulture, $$$"""{"deviceId":"{{{device}}}","ts":"{{{ts:O}}}","metrics":{"load":{{{load}}}}}""");
}
