using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using DeviceTwins.Testing;

namespace DeviceTwins.EndToEndTests;

/// <summary>
/// Fleet queries over HTTP: kcat writes telemetry, tags are set over HTTP, GET /api/devices pages exactly the matching
/// devices from the index, bad filters get 400 problems naming the parameter, and the index survives a silo restart.
/// </summary>
public sealed class FleetQueryEndToEndTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task FleetQuery_OverHttp_PagesExactlyTheMatchingDevices_RefusesBadFilters_AndSurvivesARestart()
    {
        await using var platform = new TestPlatform();
        await platform.StartKafkaAsync();
        var silo = await platform.StartSiloAsync("silo", settings: TestPlatform.OverloadRule);

        var now = DateTimeOffset.UtcNow;
        (string Id, double Temperature, double Load, string? Site)[] fleet =
        [
            ("rig-01", 85, 20, "plant-a"),
            ("rig-02", 95, 99, "plant-a"),
            ("rig-03", 70, 20, "plant-a"),
            ("rig-04", 90, 20, "plant-b"),
            ("rig-05", 81, 20, "plant-a"),
            ("rig-06", 99, 20, null),
            ("rig-07", 88, 20, "plant-a"),
        ];
        await platform.ProduceWithKcatAsync("iot.telemetry", fleet.Select(d => $"{d.Id}|" + Record(d.Id, now, d.Temperature, d.Load)));
        foreach (var device in fleet)
        {
            await platform.WaitForCountAsync(device.Id, 1, Timeout);
            if (device.Site is not null)
            {
                using var tagged = await platform.Http.PutAsJsonAsync($"/api/devices/{device.Id}/tags", new Dictionary<string, string> { ["site"] = device.Site });
                Assert.Equal(HttpStatusCode.OK, tagged.StatusCode);
            }
        }

        const string hot = "/api/devices?tag=site:plant-a&metric=temperature%3E80&limit=2";
        var pages = await Eventually.Until(() => WalkAsync(platform.Http, hot), p => p.Sum(x => x.Count) == 4, Timeout, p => string.Join(" | ", p.Select(x => string.Join(",", x))));
        Assert.Equal([["rig-01", "rig-02"], ["rig-05", "rig-07"]], pages);

        // asOf is the oldest flush of every index shard: it appears once each shard has flushed, a moment after the matches.
        var body = await Eventually.Until(() => platform.Http.GetFromJsonAsync<JsonElement>(hot), b => b.TryGetProperty("asOf", out _), Timeout, b => $"no asOf yet: {b}");
        Assert.Equal("PT1S", body.GetProperty("staleness").GetString());
        Assert.True(body.GetProperty("asOf").GetDateTimeOffset() >= now);
        var rig01 = body.GetProperty("items")[0];
        Assert.Equal("online", rig01.GetProperty("status").GetString());
        Assert.Equal(85, rig01.GetProperty("metrics").GetProperty("temperature").GetDouble());
        Assert.Equal("plant-a", rig01.GetProperty("tags").GetProperty("site").GetString());
        Assert.Equal(2, rig01.GetProperty("version").GetInt64());

        Assert.Equal([["rig-02"]], await WalkAsync(platform.Http, "/api/devices?status=alerting"));
        Assert.Equal([["rig-01", "rig-03", "rig-05", "rig-07"]], await WalkAsync(platform.Http, "/api/devices?tag=site:plant-a&status=online"));
        Assert.Equal([["rig-02", "rig-04", "rig-06"]], await WalkAsync(platform.Http, "/api/devices?metric=temperature%3E%3D90"));
        Assert.Equal([["rig-04"]], await WalkAsync(platform.Http, "/api/devices?tag=site:plant-b&metric=load%3C50&metric=temperature!%3D0"));
        var after = Uri.EscapeDataString(now.AddMinutes(-1).ToString("O", CultureInfo.InvariantCulture));
        Assert.Equal(7, (await WalkAsync(platform.Http, $"/api/devices?lastSeenAfter={after}")).Sum(p => p.Count));
        Assert.Empty(await WalkAsync(platform.Http, $"/api/devices?lastSeenBefore={after}"));

        foreach (var (query, parameter) in new[]
        {
            ("tag=site", "tag"), ("tag=site:plant-a&tag=:x", "tag"), ("metric=temperature%3E%3E1", "metric"), ("metric=temperature", "metric"),
            ("status=asleep", "status"), ("lastSeenAfter=yesterday", "lastSeenAfter"), ("lastSeenBefore=2026-11-27T10:00:00", "lastSeenBefore"),
            ("limit=0", "limit"), ("limit=1001", "limit"), ("cursor=zzz", "cursor"), ("sort=id", "sort"),
        })
        {
            using var refused = await platform.Http.GetAsync("/api/devices?" + query);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(parameter, problem.GetProperty("parameter").GetString());
            Assert.Equal($"Invalid parameter '{parameter}'", problem.GetProperty("title").GetString());
            Assert.Equal(400, problem.GetProperty("status").GetInt32());
        }

        // A graceful stop writes the shards to Redis; the restarted silo answers from them before any twin activates.
        await silo.StopAsync(TimeSpan.FromSeconds(60));
        await platform.StartSiloAsync("silo-2", settings: TestPlatform.OverloadRule);
        Assert.Equal([["rig-01", "rig-02"], ["rig-05", "rig-07"]], await WalkAsync(platform.Http, hot));
    }

    // Follows `next` from the first page to the last; the device ids of each page.
    private static async Task<List<List<string>>> WalkAsync(HttpClient http, string firstPage)
    {
        var pages = new List<List<string>>();
        var url = firstPage;
        while (true)
        {
            var body = await http.GetFromJsonAsync<JsonElement>(url);
            var ids = body.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("deviceId").GetString()!).ToList();
            if (ids.Count > 0)
            {
                pages.Add(ids);
            }

            if (!body.TryGetProperty("next", out var next))
            {
                return pages;
            }

            url = firstPage + (firstPage.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "cursor=" + Uri.EscapeDataString(next.GetString()!);
        }
    }

    private static string Record(string device, DateTimeOffset ts, double temperature, double load) =>
        string.Create(CultureInfo.InvariantCulture, $$$"""{"deviceId":"{{{device}}}","ts":"{{{ts:O}}}","metrics":{"temperature":{{{temperature}}},"load":{{{load}}}}}""");
}
