using System.Globalization;
using System.Net;
using System.Text.Json;
using DeviceTwins.Testing;

namespace DeviceTwins.ApiTests;

/// <summary>GET /api/devices: fleet queries over the write-behind device index, paged with exact ids, and 400s naming the parameter.</summary>
[Collection(ApiCollection.Name)]
public sealed class FleetApiTests(ApiFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task FleetQuery_Filters_PagesExactIds()
    {
        var prefix = ApiFixture.NewDeviceId("fleet") + "-";
        var site = prefix.TrimEnd('-');
        var now = fixture.Clock.GetUtcNow();
        // id suffix, temperature, load (alerting above 90), event time's age
        (string Id, double Temperature, double Load, TimeSpan Age)[] fleet =
        [
            ("01", 85, 20, TimeSpan.Zero),
            ("02", 95, 96, TimeSpan.Zero),
            ("03", 70, 20, TimeSpan.Zero),
            ("04", 81, 20, TimeSpan.Zero),
            ("05", 88, 20, TimeSpan.FromMinutes(20)),
        ];
        foreach (var device in fleet)
        {
            await fixture.ProduceAsync(prefix + device.Id, ApiFixture.Telemetry(prefix + device.Id, now - device.Age - TimeSpan.FromSeconds(1), ("temperature", device.Temperature), ("load", device.Load)));
        }

        foreach (var device in fleet)
        {
            await fixture.Reader.WaitForMessageCountAsync(prefix + device.Id, 1);
            using var tagged = await fixture.Writer.PutTagsAsync(prefix + device.Id, $$"""{"site":"{{site}}"}""");
            Assert.Equal(HttpStatusCode.OK, tagged.StatusCode);
        }

        var hot = $"/api/devices?tag=site:{site}&metric={Uri.EscapeDataString("temperature>80")}&limit=2";
        // The index is written behind: each probe moves the twins' clock by one flush interval, which sends the batches.
        var pages = await Eventually.Until(
            async () =>
            {
                fixture.Clock.Advance(TimeSpan.FromSeconds(1));
                return await WalkAsync(hot);
            },
            p => p.SelectMany(x => x).Count() == 4 && p.SelectMany(x => x).Count(d => d.Status == "alerting") == 1,
            Timeout,
            p => string.Join(" | ", p.Select(x => string.Join(",", x))));

        Assert.Equal([[prefix + "01", prefix + "02"], [prefix + "04", prefix + "05"]], pages.Select(p => p.Select(d => d.Id).ToList()).ToList());
        Assert.Equal(["online", "alerting", "online", "offline"], pages.SelectMany(p => p).Select(d => d.Status));

        var siteTag = $"tag=site:{site}";
        Assert.Equal([prefix + "02"], await IdsAsync($"/api/devices?{siteTag}&status=alerting"));
        Assert.Equal([prefix + "05"], await IdsAsync($"/api/devices?{siteTag}&status=offline"));
        Assert.Equal([prefix + "01", prefix + "03", prefix + "04"], await IdsAsync($"/api/devices?{siteTag}&status=online"));
        Assert.Equal([prefix + "02"], await IdsAsync($"/api/devices?{siteTag}&metric={Uri.EscapeDataString("load>=90")}&metric={Uri.EscapeDataString("temperature!=0")}"));
        Assert.Equal([prefix + "05"], await IdsAsync($"/api/devices?{siteTag}&lastSeenBefore={Iso(now.AddMinutes(-10))}"));
        Assert.Equal([prefix + "01", prefix + "02", prefix + "03", prefix + "04"], await IdsAsync($"/api/devices?{siteTag}&lastSeenAfter={Iso(now.AddMinutes(-10))}"));
        Assert.Empty(await IdsAsync($"/api/devices?tag=site:{site}-none"));

        var page = await fixture.Reader.GetJsonAsync($"/api/devices?{siteTag}&limit=1");
        Assert.Equal("PT1S", page.GetProperty("staleness").GetString());
        Assert.True(page.GetProperty("asOf").GetDateTimeOffset() <= fixture.Clock.GetUtcNow());
        var first = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal(prefix + "01", first.GetProperty("deviceId").GetString());
        Assert.Equal(85, first.GetProperty("metrics").GetProperty("temperature").GetDouble());
        Assert.Equal(site, first.GetProperty("tags").GetProperty("site").GetString());
        JsonNaming.AssertCamelCase(page);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=-1", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("limit=1001", "limit")]
    [InlineData("limit=99999999999", "limit")]
    [InlineData("limit=1&limit=2", "limit")]
    [InlineData("cursor=garbage", "cursor")]
    [InlineData("cursor=ZDE6", "cursor")]
    [InlineData("status=sleeping", "status")]
    [InlineData("status=", "status")]
    [InlineData("tag=site", "tag")]
    [InlineData("tag=:x", "tag")]
    [InlineData("tag=bad%20key:x", "tag")]
    [InlineData("metric=temperature", "metric")]
    [InlineData("metric=temperature%3Ehot", "metric")]
    [InlineData("metric=temperature%3E1e999", "metric")]
    [InlineData("metric=%3E5", "metric")]
    [InlineData("lastSeenAfter=yesterday", "lastSeenAfter")]
    [InlineData("lastSeenAfter=2026-11-27T10:00:00", "lastSeenAfter")]
    [InlineData("lastSeenBefore=2026-13-27T10:00:00Z", "lastSeenBefore")]
    [InlineData("lastSeenAfter=2026-11-27T10:00:00Z&lastSeenBefore=2026-11-27T09:00:00Z", "lastSeenAfter")]
    [InlineData("color=red", "color")]
    [InlineData("Limit=5", "Limit")]
    public async Task FleetQuery_BadParameter_400ProblemNamingIt(string query, string parameter)
    {
        using var response = await fixture.Reader.GetAsync(new Uri("/api/devices?" + query, UriKind.Relative));
        var problem = await Problems.AssertAsync(response, HttpStatusCode.BadRequest, $"Invalid parameter '{parameter}'");
        Assert.Equal(parameter, problem.GetProperty("parameter").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task FleetQuery_TooManyFilters_400NamingTag()
    {
        var query = string.Join('&', Enumerable.Range(0, 33).Select(i => $"tag=k{i}:v"));
        using var response = await fixture.Reader.GetAsync(new Uri("/api/devices?" + query, UriKind.Relative));
        var problem = await Problems.AssertAsync(response, HttpStatusCode.BadRequest, "Invalid parameter 'tag'");
        Assert.Equal("At most 32 tag and metric filters together.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task FleetStats_CountTheIndexByStatus_TheIntakeOnlyForACallerOfEveryTenant()
    {
        var id = ApiFixture.NewDeviceId("stats");
        await fixture.ProduceAsync(id, ApiFixture.Telemetry(id, fixture.Clock.GetUtcNow().AddSeconds(-1), ("load", 97)));
        await fixture.Reader.WaitForMessageCountAsync(id, 1);
        // Once the index holds the device, the twins' clock stands still: the figures and the listing read the same index.
        await Eventually.Until(
            async () =>
            {
                fixture.Clock.Advance(TimeSpan.FromSeconds(1));
                return await IdsAsync("/api/devices?status=alerting&limit=1000");
            },
            ids => ids.Contains(id),
            Timeout,
            ids => string.Join(",", ids));

        var stats = await fixture.Reader.GetJsonAsync("/api/fleet/stats");
        var devices = (await WalkAsync("/api/devices?limit=1000")).SelectMany(p => p).ToList();
        Assert.Equal(
            (devices.Count, devices.Count(d => d.Status == "online"), devices.Count(d => d.Status == "offline"), devices.Count(d => d.Status == "alerting")),
            (stats.GetProperty("devices").GetInt32(), stats.GetProperty("online").GetInt32(), stats.GetProperty("offline").GetInt32(), stats.GetProperty("alerting").GetInt32()));
        Assert.True(stats.GetProperty("activeAlerts").GetInt32() >= stats.GetProperty("alerting").GetInt32());
        Assert.Equal(JsonValueKind.Number, stats.GetProperty("recordsPerSecond").ValueKind);
        Assert.Equal(JsonValueKind.Number, stats.GetProperty("consumerLag").ValueKind);
        Assert.Equal("PT1S", stats.GetProperty("staleness").GetString());
        JsonNaming.AssertCamelCase(stats);

        // A caller of one tenant counts its tenant's devices only, and does not see the platform's intake.
        using var acme = fixture.ClientWithKey(ApiFixture.TenantKey("acme", "read"));
        var acmeStats = await acme.GetJsonAsync("/api/fleet/stats");
        var acmePage = await acme.GetJsonAsync("/api/devices?limit=1000");
        Assert.Equal(acmePage.GetProperty("items").GetArrayLength(), acmeStats.GetProperty("devices").GetInt32());
        Assert.False(acmeStats.TryGetProperty("recordsPerSecond", out _), acmeStats.ToString());
        Assert.False(acmeStats.TryGetProperty("consumerLag", out _), acmeStats.ToString());
        var me = await acme.GetJsonAsync("/api/me");
        Assert.Equal(("read", "acme"), (me.GetProperty("role").GetString(), me.GetProperty("tenant").GetString()));
    }

    private async Task<List<string>> IdsAsync(string query) => [.. (await WalkAsync(query)).SelectMany(p => p).Select(d => d.Id)];

    private async Task<List<List<(string Id, string Status)>>> WalkAsync(string first)
    {
        var pages = new List<List<(string Id, string Status)>>();
        var path = first;
        for (var i = 0; i < 50; i++)
        {
            var page = await fixture.Reader.GetJsonAsync(path);
            pages.Add([.. page.GetProperty("items").EnumerateArray().Select(d => (d.GetProperty("deviceId").GetString()!, d.GetProperty("status").GetString()!))]);
            if (!page.TryGetProperty("next", out var next) || next.ValueKind == JsonValueKind.Null)
            {
                return pages;
            }

            path = first + "&cursor=" + Uri.EscapeDataString(next.GetString()!);
        }

        throw new InvalidOperationException("More than 50 pages.");
    }

    private static string Iso(DateTimeOffset instant) =>
        Uri.EscapeDataString(instant.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
}
