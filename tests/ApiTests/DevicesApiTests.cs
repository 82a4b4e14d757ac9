using System.Net;
using System.Text.Json;

namespace DeviceTwins.ApiTests;

/// <summary>GET /api/devices/{id}, its alerts, aggregates and rules, PUT tags and PATCH desired, through the real API.</summary>
[Collection(ApiCollection.Name)]
public sealed class DevicesApiTests(ApiFixture fixture)
{
    [Fact]
    public async Task GetDevice_NeverSeen_404ProblemAndNothingCreated()
    {
        var id = ApiFixture.NewDeviceId("unknown");
        using var response = await fixture.Reader.GetAsync(new Uri($"/api/devices/{id}", UriKind.Relative));
        var problem = await Problems.AssertAsync(response, HttpStatusCode.NotFound, "Device not found");
        Assert.Equal($"No telemetry of device '{id}' has been applied.", problem.GetProperty("detail").GetString());
        Assert.Equal($"/api/devices/{id}", problem.GetProperty("instance").GetString());
        foreach (var path in new[] { $"/api/devices/{id}/alerts", $"/api/devices/{id}/aggregates", $"/api/devices/{id}" })
        {
            using var again = await fixture.Reader.GetAsync(new Uri(path, UriKind.Relative));
            await Problems.AssertAsync(again, HttpStatusCode.NotFound, "Device not found");
        }
    }

    [Fact]
    public async Task GetDevice_AfterTelemetry_TwinWithVersionAndETag_CamelCase()
    {
        var id = ApiFixture.NewDeviceId("pump");
        var ts = fixture.Clock.GetUtcNow().AddSeconds(-30);
        await fixture.ProduceAsync(id, ApiFixture.Telemetry(id, ts, ("temperature", 21.5), ("pressure", 1.25)));
        await fixture.ProduceAsync(id, ApiFixture.Telemetry(id, ts.AddSeconds(1), ("temperature", 22.5)));
        await fixture.Reader.WaitForMessageCountAsync(id, 2);

        using var response = await fixture.Reader.GetAsync(new Uri($"/api/devices/{id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("\"2\"", response.Headers.ETag?.Tag);
        var twin = await response.JsonAsync();
        Assert.Equal(id, twin.GetProperty("deviceId").GetString());
        Assert.Equal(2, twin.GetProperty("version").GetInt64());
        Assert.Equal(2, twin.GetProperty("messageCount").GetInt64());
        Assert.Equal(ts, twin.GetProperty("firstSeen").GetDateTimeOffset());
        Assert.Equal(ts.AddSeconds(1), twin.GetProperty("lastSeen").GetDateTimeOffset());
        Assert.Equal(22.5, twin.GetProperty("metrics").GetProperty("temperature").GetProperty("value").GetDouble());
        Assert.Equal(ts.AddSeconds(1), twin.GetProperty("metrics").GetProperty("temperature").GetProperty("ts").GetDateTimeOffset());
        Assert.Equal(1.25, twin.GetProperty("metrics").GetProperty("pressure").GetProperty("value").GetDouble());
        Assert.Equal("converged", twin.GetProperty("convergence").GetString());
        JsonNaming.AssertCamelCase(twin);
    }

    [Fact]
    public async Task PutTags_IfMatch_MatchAnyMismatchMalformed()
    {
        var id = await NewDeviceAsync("tagged");
        using (var unconditional = await fixture.Writer.PutTagsAsync(id, """{"site":"plant-b","model":"x-1"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, unconditional.StatusCode);
            Assert.Equal("\"2\"", unconditional.Headers.ETag?.Tag);
            var twin = await unconditional.JsonAsync();
            Assert.Equal("""{"site":"plant-b","model":"x-1"}""", twin.GetProperty("tags").GetRawText());
            JsonNaming.AssertCamelCase(twin);
        }

        using (var matching = await fixture.Writer.PutTagsAsync(id, """{"site":"plant-c"}""", "\"1\", \"2\""))
        {
            Assert.Equal(HttpStatusCode.OK, matching.StatusCode);
            Assert.Equal("\"3\"", matching.Headers.ETag?.Tag);
        }

        using (var any = await fixture.Writer.PutTagsAsync(id, """{"site":"plant-d"}""", "*"))
        {
            Assert.Equal(HttpStatusCode.OK, any.StatusCode);
            Assert.Equal("\"4\"", any.Headers.ETag?.Tag);
        }

        using (var stale = await fixture.Writer.PutTagsAsync(id, """{"site":"stale"}""", "\"3\""))
        {
            var problem = await Problems.AssertAsync(stale, HttpStatusCode.PreconditionFailed, "Precondition failed");
            Assert.Equal("If-Match does not hold: the twin is at version 4.", problem.GetProperty("detail").GetString());
            Assert.Equal("\"4\"", stale.Headers.ETag?.Tag);
        }

        foreach (var malformed in new[] { "4", "W/\"4\"", "*, \"4\"", "\"x\"", "\"\"" })
        {
            using var response = await fixture.Writer.PutTagsAsync(id, """{"site":"bad"}""", malformed);
            await Problems.AssertAsync(response, HttpStatusCode.BadRequest, "Invalid If-Match");
        }

        var after = await fixture.Reader.GetJsonAsync($"/api/devices/{id}");
        Assert.Equal(4, after.GetProperty("version").GetInt64());
        Assert.Equal("""{"site":"plant-d"}""", after.GetProperty("tags").GetRawText());
    }

    [Theory]
    [InlineData("""{"site":1}""", "Tag 'site' must have a string value, not Number.")]
    [InlineData("""{"site":null}""", "Tag 'site' must have a string value, not Null.")]
    [InlineData("""{"bad key":"x"}""", "Tag key 'bad key' must be 1-64 letters, digits, '.', '_', '-' or '/'.")]
    [InlineData("""{"":"x"}""", "Tag key '' must be 1-64 letters, digits, '.', '_', '-' or '/'.")]
    [InlineData("""{"a":"x","a":"y"}""", "Tag 'a' appears twice.")]
    [InlineData("""["site"]""", "The body must be a JSON object of string values, not Array.")]
    [InlineData("null", "The body must be a JSON object of string values, not Null.")]
    public async Task PutTags_InvalidBody_400ProblemSaysWhy(string body, string detail)
    {
        var id = await NewDeviceAsync("badtags");
        using var response = await fixture.Writer.PutTagsAsync(id, body);
        var problem = await Problems.AssertAsync(response, HttpStatusCode.BadRequest, "Invalid tags");
        Assert.Equal(detail, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task PutTags_TooManyOrTooLong_400_DeviceNeverSeen_404()
    {
        var id = await NewDeviceAsync("limits");
        var tooMany = "{" + string.Join(',', Enumerable.Range(0, 65).Select(i => $"\"k{i}\":\"v\"")) + "}";
        using (var response = await fixture.Writer.PutTagsAsync(id, tooMany))
        {
            var problem = await Problems.AssertAsync(response, HttpStatusCode.BadRequest, "Invalid tags");
            Assert.Equal("A device carries at most 64 tags, not 65.", problem.GetProperty("detail").GetString());
        }

        using (var response = await fixture.Writer.PutTagsAsync(id, $$"""{"site":"{{new string('v', 257)}}"}"""))
        {
            var problem = await Problems.AssertAsync(response, HttpStatusCode.BadRequest, "Invalid tags");
            Assert.Equal("Tag 'site' must be at most 256 characters.", problem.GetProperty("detail").GetString());
        }

        var unknown = ApiFixture.NewDeviceId("never");
        using var notFound = await fixture.Writer.PutTagsAsync(unknown, """{"site":"x"}""");
        await Problems.AssertAsync(notFound, HttpStatusCode.NotFound, "Device not found");
    }

    [Theory]
    [InlineData(Requests.MergePatch)]
    [InlineData("application/json")]
    [InlineData("application/merge-patch+json; charset=utf-8")]
    public async Task PatchDesired_CreatesTheTwin_ReadYourWrites(string contentType)
    {
        var id = ApiFixture.NewDeviceId("desired");
        using (var patched = await fixture.Writer.PatchDesiredAsync(id, """{"cfg":{"rate":10,"mode":"eco"}}""", contentType: contentType))
        {
            Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
            Assert.Equal("\"1\"", patched.Headers.ETag?.Tag);
            var twin = await patched.JsonAsync();
            Assert.Equal(1, twin.GetProperty("version").GetInt64());
            Assert.Equal(0, twin.GetProperty("messageCount").GetInt64());
            Assert.Equal("""{"cfg":{"rate":10,"mode":"eco"}}""", twin.GetProperty("desired").GetRawText());
            Assert.Equal("""{"cfg":{"rate":10,"mode":"eco"}}""", twin.GetProperty("delta").GetRawText());
            Assert.Equal("pending", twin.GetProperty("convergence").GetString());
            Assert.Equal("rest", twin.GetProperty("metadata").GetProperty("desired").GetProperty("/cfg/rate").GetProperty("source").GetString());
            JsonNaming.AssertCamelCase(twin);
        }

        // Read your writes: the GET right after the PATCH shows it, and a further patch merges (null deletes).
        using (var read = await fixture.Reader.GetAsync(new Uri($"/api/devices/{id}", UriKind.Relative)))
        {
            Assert.Equal("\"1\"", read.Headers.ETag?.Tag);
            Assert.Equal("""{"cfg":{"rate":10,"mode":"eco"}}""", (await read.JsonAsync()).GetProperty("desired").GetRawText());
        }

        using (var merged = await fixture.Writer.PatchDesiredAsync(id, """{"cfg":{"mode":null},"fw":"2.0"}""", "\"1\"", contentType))
        {
            Assert.Equal(HttpStatusCode.OK, merged.StatusCode);
            Assert.Equal("\"2\"", merged.Headers.ETag?.Tag);
        }

        var after = await fixture.Reader.GetJsonAsync($"/api/devices/{id}");
        Assert.Equal(2, after.GetProperty("version").GetInt64());
        Assert.Equal("""{"cfg":{"rate":10},"fw":"2.0"}""", after.GetProperty("desired").GetRawText());
    }

    [Fact]
    public async Task PatchDesired_IfMatch_StaleIs412_StarOnNoTwinIs412_MalformedIs400()
    {
        var id = ApiFixture.NewDeviceId("conditional");
        using (var none = await fixture.Writer.PatchDesiredAsync(id, """{"a":1}""", "*"))
        {
            var problem = await Problems.AssertAsync(none, HttpStatusCode.PreconditionFailed, "Precondition failed");
            Assert.Equal("If-Match does not hold: the twin does not exist.", problem.GetProperty("detail").GetString());
        }

        using (var created = await fixture.Writer.PatchDesiredAsync(id, """{"a":1}"""))
        {
            Assert.Equal("\"1\"", created.Headers.ETag?.Tag);
        }

        using (var stale = await fixture.Writer.PatchDesiredAsync(id, """{"a":2}""", "\"7\""))
        {
            await Problems.AssertAsync(stale, HttpStatusCode.PreconditionFailed, "Precondition failed");
            Assert.Equal("\"1\"", stale.Headers.ETag?.Tag);
        }

        using (var malformed = await fixture.Writer.PatchDesiredAsync(id, """{"a":2}""", "W/\"1\""))
        {
            await Problems.AssertAsync(malformed, HttpStatusCode.BadRequest, "Invalid If-Match");
        }

        using (var any = await fixture.Writer.PatchDesiredAsync(id, """{"a":3}""", "*"))
        {
            Assert.Equal("\"2\"", any.Headers.ETag?.Tag);
        }

        Assert.Equal("""{"a":3}""", (await fixture.Reader.GetJsonAsync($"/api/devices/{id}")).GetProperty("desired").GetRawText());
    }

    [Fact]
    public async Task PatchDesired_Limits_415_413_400()
    {
        var id = ApiFixture.NewDeviceId("limits");
        using (var text = await fixture.Writer.PatchDesiredAsync(id, """{"a":1}""", contentType: "text/plain"))
        {
            await Problems.AssertAsync(text, HttpStatusCode.UnsupportedMediaType, "Unsupported Media Type");
        }

        using (var latin = await fixture.Writer.PatchDesiredAsync(id, """{"a":1}""", contentType: "application/json; charset=iso-8859-1"))
        {
            await Problems.AssertAsync(latin, HttpStatusCode.UnsupportedMediaType, "Unsupported Media Type");
        }

        using (var missing = await fixture.Writer.SendAsync("PATCH", $"/api/devices/{id}/desired", """{"a":1}"""))
        {
            await Problems.AssertAsync(missing, HttpStatusCode.UnsupportedMediaType, "Unsupported Media Type");
        }

        var big = $$"""{"blob":"{{new string('x', ApiFixture.MaxDocumentBytes)}}"}""";
        using (var tooLarge = await fixture.Writer.PatchDesiredAsync(id, big))
        {
            var problem = await Problems.AssertAsync(tooLarge, HttpStatusCode.RequestEntityTooLarge, "Patch too large");
            Assert.Equal($"The patch is {big.Length} bytes; the limit (Twin:MaxDocumentBytes) is {ApiFixture.MaxDocumentBytes}.", problem.GetProperty("detail").GetString());
        }

        // Each patch fits; together the desired document would not.
        var half = new string('y', (ApiFixture.MaxDocumentBytes / 2) + 16);
        using (var first = await fixture.Writer.PatchDesiredAsync(id, $$"""{"one":"{{half}}"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using (var second = await fixture.Writer.PatchDesiredAsync(id, $$"""{"two":"{{half}}"}"""))
        {
            await Problems.AssertAsync(second, HttpStatusCode.RequestEntityTooLarge, "Desired document too large");
        }

        using (var deepest = await fixture.Writer.PatchDesiredAsync(id, """{"a":{"b":{"c":{"d":1}}}}"""))
        {
            Assert.Equal(HttpStatusCode.OK, deepest.StatusCode);
        }

        using (var tooDeep = await fixture.Writer.PatchDesiredAsync(id, """{"a":{"b":{"c":{"d":{"e":1}}}}}"""))
        {
            var problem = await Problems.AssertAsync(tooDeep, HttpStatusCode.BadRequest, "Invalid desired patch");
            Assert.Equal($"The patch is nested deeper than the limit (Twin:MaxDepth) of {ApiFixture.MaxDepth} levels.", problem.GetProperty("detail").GetString());
        }

        foreach (var body in new[] { "{not json", "[1]", "\"x\"", "null", "", """{"a":1,"a":2}""" })
        {
            using var bad = await fixture.Writer.PatchDesiredAsync(id, body);
            await Problems.AssertAsync(bad, HttpStatusCode.BadRequest, "Invalid desired patch");
        }

        // Nothing refused was written: version 2 (the first patch and the deepest one).
        var twin = await fixture.Reader.GetJsonAsync($"/api/devices/{id}");
        Assert.Equal(2, twin.GetProperty("version").GetInt64());
        Assert.False(twin.GetProperty("desired").TryGetProperty("two", out _));
    }

    [Fact]
    public async Task DeviceAlertsAggregatesRules_AfterAnOverload_ExactContents()
    {
        var id = ApiFixture.NewDeviceId("boiler");
        // Event times in closed minutes of the past: the first window [start, start+1m) closes once the last record is past its grace.
        var now = fixture.Clock.GetUtcNow();
        var start = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddMinutes(-5);
        await fixture.ProduceAsync(id, ApiFixture.Telemetry(id, start.AddSeconds(5), ("load", 20)));
        await fixture.ProduceAsync(id, ApiFixture.Telemetry(id, start.AddSeconds(10), ("load", 95)));
        await fixture.ProduceAsync(id, ApiFixture.Telemetry(id, start.AddSeconds(20), ("load", 40)));
        await fixture.ProduceAsync(id, ApiFixture.Telemetry(id, start.AddMinutes(2), ("load", 30)));
        await fixture.Reader.WaitForMessageCountAsync(id, 4);

        var alerts = await fixture.Reader.GetJsonAsync($"/api/devices/{id}/alerts");
        var alert = Assert.Single(alerts.EnumerateArray());
        Assert.Equal(id, alert.GetProperty("deviceId").GetString());
        Assert.Equal("overload", alert.GetProperty("rule").GetString());
        Assert.Equal("cleared", alert.GetProperty("state").GetString());
        Assert.Equal("critical", alert.GetProperty("severity").GetString());
        // A cleared alert carries the value that cleared it.
        Assert.Equal(40, alert.GetProperty("value").GetDouble());
        Assert.Equal(start.AddSeconds(10), alert.GetProperty("raisedAt").GetDateTimeOffset());
        Assert.Equal(start.AddSeconds(20), alert.GetProperty("clearedAt").GetDateTimeOffset());

        // ...and still explains its raise: the reading, its time, and the statistic against the threshold it crossed.
        var raise = alert.GetProperty("raise");
        Assert.Equal((95.0, start.AddSeconds(10), "load 95 above 90 for 0 s", "value", 95.0, 90.0), (raise.GetProperty("value").GetDouble(), raise.GetProperty("eventTime").GetDateTimeOffset(),
            raise.GetProperty("reason").GetString(), raise.GetProperty("statistic").GetString(), raise.GetProperty("score").GetDouble(), raise.GetProperty("threshold").GetDouble()));
        var clear = alert.GetProperty("clear");
        Assert.Equal((40.0, start.AddSeconds(20), "load 40 back below 50", "value", 50.0), (clear.GetProperty("value").GetDouble(), clear.GetProperty("eventTime").GetDateTimeOffset(),
            clear.GetProperty("reason").GetString(), clear.GetProperty("statistic").GetString(), clear.GetProperty("threshold").GetDouble()));
        JsonNaming.AssertCamelCase(alerts);

        var windows = await fixture.Reader.GetJsonAsync($"/api/devices/{id}/aggregates?metric=load&from={Iso(start)}&to={Iso(start.AddMinutes(1))}");
        var window = Assert.Single(windows.EnumerateArray());
        Assert.Equal("load", window.GetProperty("metric").GetString());
        Assert.Equal(60, window.GetProperty("windowSeconds").GetInt64());
        Assert.Equal(start, window.GetProperty("start").GetDateTimeOffset());
        Assert.Equal(start.AddMinutes(1), window.GetProperty("end").GetDateTimeOffset());
        Assert.Equal(3, window.GetProperty("count").GetInt64());
        Assert.Equal(20, window.GetProperty("min").GetDouble());
        Assert.Equal(95, window.GetProperty("max").GetDouble());
        Assert.Equal(155, window.GetProperty("sum").GetDouble());
        Assert.Equal(20, window.GetProperty("first").GetDouble());
        Assert.Equal(40, window.GetProperty("last").GetDouble());
        JsonNaming.AssertCamelCase(windows);
        Assert.Empty((await fixture.Reader.GetJsonAsync($"/api/devices/{id}/aggregates?metric=temperature")).EnumerateArray());
        Assert.Empty((await fixture.Reader.GetJsonAsync($"/api/devices/{id}/aggregates?from={Iso(start.AddMinutes(10))}")).EnumerateArray());

        var rules = await fixture.Reader.GetJsonAsync($"/api/devices/{id}/rules");
        Assert.Equal(["anomaly", "offline", "overload"], rules.EnumerateArray().Select(r => r.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
        var overload = rules.EnumerateArray().Single(r => r.GetProperty("name").GetString() == "overload");
        Assert.Equal(["load"], overload.GetProperty("watching").EnumerateArray().Select(m => m.GetString()));
        JsonNaming.AssertCamelCase(rules);

        // Tagging the device site=plant-a brings in the rule selected by that tag.
        using (await fixture.Writer.PutTagsAsync(id, """{"site":"plant-a"}"""))
        {
        }

        var tagged = await fixture.Reader.GetJsonAsync($"/api/devices/{id}/rules");
        Assert.Equal(["anomaly", "offline", "overload", "plant-a-vibration"], tagged.EnumerateArray().Select(r => r.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
    }

    private async Task<string> NewDeviceAsync(string prefix)
    {
        var id = ApiFixture.NewDeviceId(prefix);
        await fixture.ProduceAsync(id, ApiFixture.Telemetry(id, fixture.Clock.GetUtcNow().AddSeconds(-5), ("temperature", 20)));
        await fixture.Reader.WaitForMessageCountAsync(id, 1);
        return id;
    }

    private static string Iso(DateTimeOffset instant) => Uri.EscapeDataString(instant.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
}
