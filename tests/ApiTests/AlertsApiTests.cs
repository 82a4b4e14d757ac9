using System.Net;
using System.Text.Json;
using DeviceTwins.Testing;

namespace DeviceTwins.ApiTests;

/// <summary>GET /api/alerts (the fleet alert index, paged) and POST /api/alerts/{id}/ack.</summary>
[Collection(ApiCollection.Name)]
public sealed class AlertsApiTests(ApiFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Alerts_ActiveAndAll_PagedExactly_AcknowledgeThenConflictOnceCleared()
    {
        var hot = ApiFixture.NewDeviceId("hot");
        var cool = ApiFixture.NewDeviceId("cool");
        var ts = fixture.Clock.GetUtcNow().AddSeconds(-30);
        await fixture.ProduceAsync(hot, ApiFixture.Telemetry(hot, ts, ("load", 97)));
        await fixture.ProduceAsync(cool, ApiFixture.Telemetry(cool, ts, ("load", 99)));
        await fixture.ProduceAsync(cool, ApiFixture.Telemetry(cool, ts.AddSeconds(1), ("load", 10)));
        await fixture.Reader.WaitForMessageCountAsync(hot, 1);
        await fixture.Reader.WaitForMessageCountAsync(cool, 2);

        // The cool device's raise and clear may reach the index in two steps (two turns), with the hot raise between them:
        // wait until the index holds the hot raise and no longer the cool one (a cleared alert listed as active never
        // leaves, and the wait fails).
        var active = await Eventually.Until(
            () => AllPagesAsync("/api/alerts?state=active&limit=1"),
            alerts => alerts.Any(a => a.GetProperty("deviceId").GetString() == hot) && alerts.All(a => a.GetProperty("deviceId").GetString() != cool),
            Timeout,
            "the hot device's alert in the fleet index, and the cool device's cleared one out of the active list");
        var raised = active.Single(a => a.GetProperty("deviceId").GetString() == hot);
        Assert.Equal("raised", raised.GetProperty("state").GetString());
        Assert.Equal("overload", raised.GetProperty("rule").GetString());
        Assert.DoesNotContain(active, a => a.GetProperty("deviceId").GetString() == cool);
        Assert.DoesNotContain(active, a => a.GetProperty("state").GetString() == "cleared");

        var all = await Eventually.Until(
            () => AllPagesAsync("/api/alerts?limit=2"),
            alerts => alerts.Any(a => a.GetProperty("deviceId").GetString() == cool),
            Timeout,
            "the cool device's cleared alert in the fleet index");
        var ids = all.Select(a => a.GetProperty("id").GetString()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        // Newest raise first across pages.
        var raisedAt = all.Select(a => a.GetProperty("raisedAt").GetDateTimeOffset()).ToList();
        Assert.Equal(raisedAt.OrderDescending(), raisedAt);
        var cleared = all.Single(a => a.GetProperty("deviceId").GetString() == cool);
        Assert.Equal("cleared", cleared.GetProperty("state").GetString());
        Assert.Equal(all.Count, (await AllPagesAsync("/api/alerts?state=all&limit=1000")).Count);

        var id = raised.GetProperty("id").GetString()!;
        using (var ack = await fixture.Writer.PostAsync(new Uri($"/api/alerts/{id}/ack", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
            var alert = await ack.JsonAsync();
            Assert.Equal(id, alert.GetProperty("id").GetString());
            Assert.Equal("acknowledged", alert.GetProperty("state").GetString());
            Assert.True(alert.TryGetProperty("acknowledgedAt", out _));
            JsonNaming.AssertCamelCase(alert);
        }

        using (var again = await fixture.Admin.PostAsync(new Uri($"/api/alerts/{id}/ack", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            Assert.Equal("acknowledged", (await again.JsonAsync()).GetProperty("state").GetString());
        }

        var deviceAlert = Assert.Single((await fixture.Reader.GetJsonAsync($"/api/devices/{hot}/alerts")).EnumerateArray());
        Assert.Equal("acknowledged", deviceAlert.GetProperty("state").GetString());

        var clearedId = cleared.GetProperty("id").GetString()!;
        using (var conflict = await fixture.Writer.PostAsync(new Uri($"/api/alerts/{clearedId}/ack", UriKind.Relative), null))
        {
            var problem = await Problems.AssertAsync(conflict, HttpStatusCode.Conflict, "Alert cleared");
            Assert.Equal($"Alert '{clearedId}' has cleared; only an active alert can be acknowledged.", problem.GetProperty("detail").GetString());
        }
    }

    [Fact]
    public async Task Acknowledge_UnknownAlert_404Problem()
    {
        var id = Guid.NewGuid().ToString("N");
        using var response = await fixture.Writer.PostAsync(new Uri($"/api/alerts/{id}/ack", UriKind.Relative), null);
        var problem = await Problems.AssertAsync(response, HttpStatusCode.NotFound, "Alert not found");
        Assert.Equal($"No alert '{id}' is known.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Alerts_EmptyIndexPage_HasNoNext_CamelCase()
    {
        var page = await fixture.Reader.GetJsonAsync("/api/alerts?state=active&limit=1000");
        Assert.False(page.TryGetProperty("next", out _));
        JsonNaming.AssertCamelCase(page);
    }

    private async Task<List<JsonElement>> AllPagesAsync(string first)
    {
        var alerts = new List<JsonElement>();
        var path = first;
        for (var i = 0; i < 200; i++)
        {
            var page = await fixture.Reader.GetJsonAsync(path);
            alerts.AddRange(page.GetProperty("items").EnumerateArray());
            if (!page.TryGetProperty("next", out var next))
            {
                return alerts;
            }

            path = first + "&cursor=" + Uri.EscapeDataString(next.GetString()!);
        }

        throw new InvalidOperationException("More than 200 pages of alerts.");
    }
}
