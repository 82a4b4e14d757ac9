using System.Net;
using System.Text;

namespace DeviceTwins.ApiTests;

/// <summary>
/// The no-500 audit: client mistakes on every endpoint (ids, query parameters, bodies, headers, routes, methods) each get
/// exactly the expected 4xx as an RFC 9457 problem with a title, never a 500 or a bare body.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ClientMistakeTests(ApiFixture fixture)
{
    private const string Json = "application/json";
    private const string Patch = Requests.MergePatch;
    private const string Known = "mistakes-known";
    private static readonly string LongId = new('a', 129);
    private static readonly string Hex32 = new('a', 32);

    /// <summary>Method, path, body (null: none), Content-Type (null: none), a header "Name: value" (null: none), expected status.</summary>
    public static TheoryData<string, string, string?, string?, string?, int> Mistakes() => new()
    {
        // Device ids: illegal characters, too long, blank, control characters, non-ASCII, encoded slash.
        { "GET", "/api/devices/bad%20id", null, null, null, 400 },
        { "GET", "/api/devices/" + LongId, null, null, null, 400 },
        { "GET", "/api/devices/%20", null, null, null, 400 },
        { "GET", "/api/devices/a%0Ab", null, null, null, 400 },
        { "GET", "/api/devices/%C3%A4", null, null, null, 400 },
        { "GET", "/api/devices/a%2Fb", null, null, null, 400 },
        { "GET", "/api/devices/a%25b", null, null, null, 400 },
        { "GET", "/api/devices/bad%20id/alerts", null, null, null, 400 },
        { "GET", "/api/devices/bad%20id/aggregates", null, null, null, 400 },
        { "GET", "/api/devices/bad%20id/rules", null, null, null, 400 },
        { "GET", "/api/devices/bad%20id/changes", null, null, null, 400 },
        { "GET", "/api/devices/" + LongId + "/rules", null, null, null, 400 },
        { "PUT", "/api/devices/bad%20id/tags", "{}", Json, null, 400 },
        { "PATCH", "/api/devices/bad%20id/desired", "{}", Patch, null, 400 },
        { "PATCH", "/api/devices/" + LongId + "/desired", "{}", Patch, null, 400 },

        // Alert ids.
        { "POST", "/api/alerts/not-an-id/ack", null, null, null, 400 },
        { "POST", "/api/alerts/" + Hex32[..31] + "/ack", null, null, null, 400 },
        { "POST", "/api/alerts/" + Hex32 + "a/ack", null, null, null, 400 },
        { "POST", "/api/alerts/" + Hex32.ToUpperInvariant() + "/ack", null, null, null, 400 },
        { "POST", "/api/alerts/%20/ack", null, null, null, 400 },
        { "POST", "/api/alerts/" + Hex32 + "/ack", "{not json", Json, null, 404 },

        // Query parameters of the fleet's alerts and a device's windows.
        { "GET", "/api/alerts?limit=0", null, null, null, 400 },
        { "GET", "/api/alerts?limit=-1", null, null, null, 400 },
        { "GET", "/api/alerts?limit=abc", null, null, null, 400 },
        { "GET", "/api/alerts?limit=1001", null, null, null, 400 },
        { "GET", "/api/alerts?limit=99999999999", null, null, null, 400 },
        { "GET", "/api/alerts?limit=1&limit=2", null, null, null, 400 },
        { "GET", "/api/alerts?state=bogus", null, null, null, 400 },
        { "GET", "/api/alerts?state=ACTIVE", null, null, null, 400 },
        { "GET", "/api/alerts?state=active&state=all", null, null, null, 400 },
        { "GET", "/api/alerts?cursor=garbage", null, null, null, 400 },
        { "GET", "/api/alerts?cursor=", null, null, null, 400 },
        { "GET", "/api/alerts?cursor=%F0%9F%92%A9", null, null, null, 400 },
        { "GET", "/api/alerts?cursor=MTox", null, null, null, 200 },
        { "GET", "/api/devices/" + Known + "/aggregates?from=yesterday", null, null, null, 400 },
        { "GET", "/api/devices/" + Known + "/aggregates?from=2026-11-27T06:01:00Z&to=2026-11-27T06:00:00Z", null, null, null, 400 },
        { "GET", "/api/devices/" + Known + "/aggregates?from=2026-11-27T06:00:00Z&from=2026-11-27T07:00:00Z", null, null, null, 400 },
        { "GET", "/api/devices/" + Known + "/aggregates?to=0001-01-01T00:00:00%2B14:00", null, null, null, 400 },
        { "GET", "/api/devices/" + Known + "/aggregates?metric=", null, null, null, 400 },
        { "GET", "/api/devices/" + Known + "/aggregates?metric=" + new string('m', 129), null, null, null, 400 },

        // Fleet query parameters (more in FleetApiTests).
        { "GET", "/api/devices?limit=0", null, null, null, 400 },
        { "GET", "/api/devices?limit=abc", null, null, null, 400 },
        { "GET", "/api/devices?cursor=%F0%9F%92%A9", null, null, null, 400 },
        { "GET", "/api/devices?lastSeenAfter=9999-12-31T23:59:59-14:00", null, null, null, 400 },
        { "GET", "/api/devices?metric=x%3DNaN", null, null, null, 400 },
        { "GET", "/api/devices?=x", null, null, null, 400 },
        { "GET", "/api/devices?tag=site:a&unknown", null, null, null, 400 },

        // Tag bodies.
        { "PUT", "/api/devices/" + Known + "/tags", "{not json", Json, null, 400 },
        { "PUT", "/api/devices/" + Known + "/tags", """{"site":["a"]}""", Json, null, 400 },
        { "PUT", "/api/devices/" + Known + "/tags", """{"site":{"a":"b"}}""", Json, null, 400 },
        { "PUT", "/api/devices/" + Known + "/tags", "null", Json, null, 400 },
        { "PUT", "/api/devices/" + Known + "/tags", "[]", Json, null, 400 },
        { "PUT", "/api/devices/" + Known + "/tags", "\"site\"", Json, null, 400 },
        { "PUT", "/api/devices/" + Known + "/tags", "", Json, null, 400 },
        { "PUT", "/api/devices/" + Known + "/tags", "   ", Json, null, 400 },
        { "PUT", "/api/devices/" + Known + "/tags", """{"site":"a"} {"x":"y"}""", Json, null, 400 },
        { "PUT", "/api/devices/" + Known + "/tags", """{"site":"a","site":"b"}""", Json, null, 400 },
        { "PUT", "/api/devices/" + Known + "/tags", """{"site":"\ud800"}""", Json, null, 400 },
        { "PUT", "/api/devices/" + Known + "/tags", """{"\udc00":"x"}""", Json, null, 400 },
        { "PUT", "/api/devices/" + Known + "/tags", new string('[', 100) + new string(']', 100), Json, null, 400 },
        { "PUT", "/api/devices/" + Known + "/tags", "{\"site\":\"" + new string('x', 70 * 1024) + "\"}", Json, null, 400 },
        { "PUT", "/api/devices/" + Known + "/tags", """{"site":"a"}""", "text/plain", null, 415 },
        { "PUT", "/api/devices/" + Known + "/tags", """{"site":"a"}""", null, null, 415 },
        { "PUT", "/api/devices/" + Known + "/tags", null, null, null, 415 },
        { "PUT", "/api/devices/" + Known + "/tags", """{"site":"a"}""", Json, "If-Match: 7", 400 },
        { "PUT", "/api/devices/" + Known + "/tags", """{"site":"a"}""", Json, "If-Match: \"99999999999999999999\"", 400 },

        // Desired patches.
        { "PATCH", "/api/devices/" + Known + "/desired", "{not json", Patch, null, 400 },
        { "PATCH", "/api/devices/" + Known + "/desired", "null", Patch, null, 400 },
        { "PATCH", "/api/devices/" + Known + "/desired", "[]", Patch, null, 400 },
        { "PATCH", "/api/devices/" + Known + "/desired", "42", Patch, null, 400 },
        { "PATCH", "/api/devices/" + Known + "/desired", "", Patch, null, 400 },
        { "PATCH", "/api/devices/" + Known + "/desired", """{"a":1} {"b":2}""", Patch, null, 400 },
        { "PATCH", "/api/devices/" + Known + "/desired", """{"a":1,"a":2}""", Patch, null, 400 },
        { "PATCH", "/api/devices/" + Known + "/desired", """{"a":"\ud800"}""", Patch, null, 400 },
        { "PATCH", "/api/devices/" + Known + "/desired", """{"\udc00":1}""", Patch, null, 400 },
        { "PATCH", "/api/devices/" + Known + "/desired", new string('[', 100) + new string(']', 100), Patch, null, 400 },
        { "PATCH", "/api/devices/" + Known + "/desired", "{\"a\":" + new string('[', 100) + new string(']', 100) + "}", Patch, null, 400 },
        { "PATCH", "/api/devices/" + Known + "/desired", "{\"a\":\"" + new string('x', 8192) + "\"}", Patch, null, 413 },
        { "PATCH", "/api/devices/" + Known + "/desired", """{"a":1}""", "text/plain", null, 415 },
        { "PATCH", "/api/devices/" + Known + "/desired", """{"a":1}""", "application/xml", null, 415 },
        { "PATCH", "/api/devices/" + Known + "/desired", """{"a":1}""", "not a media type", null, 415 },
        { "PATCH", "/api/devices/" + Known + "/desired", """{"a":1}""", null, null, 415 },
        { "PATCH", "/api/devices/" + Known + "/desired", null, null, null, 415 },
        { "PATCH", "/api/devices/" + Known + "/desired", """{"a":1}""", Patch, "If-Match: W/\"1\"", 400 },
        { "PATCH", "/api/devices/" + Known + "/desired", """{"a":1}""", Patch, "If-Match: *, \"1\"", 400 },
        { "PATCH", "/api/devices/" + Known + "/desired", """{"a":1}""", Patch, "If-Match: \"-1\"", 400 },

        // Event stream headers.
        { "GET", "/api/devices/" + Known + "/changes", null, null, "Last-Event-ID: garbage", 400 },
        { "GET", "/api/devices/" + Known + "/changes?lastEventId=-5", null, null, null, 400 },
        { "GET", "/api/alerts/stream", null, null, "Last-Event-ID: garbage", 400 },
        { "GET", "/api/alerts/stream?lastEventId=0:1,0:2", null, null, null, 400 },

        // Unknown routes and wrong methods.
        { "GET", "/api/nothing", null, null, null, 404 },
        { "GET", "/api/devices/" + Known + "/unknown", null, null, null, 404 },
        { "GET", "/api/devices//alerts", null, null, null, 404 },
        { "GET", "/api/alerts/" + Hex32, null, null, null, 404 },
        { "DELETE", "/api/devices/" + Known, null, null, null, 405 },
        { "POST", "/api/devices/" + Known, "{}", Json, null, 405 },
        { "GET", "/api/devices/" + Known + "/tags", null, null, null, 405 },
        { "POST", "/api/devices/" + Known + "/desired", "{}", Json, null, 405 },
        { "GET", "/api/alerts/" + Hex32 + "/ack", null, null, null, 405 },
        { "PUT", "/api/alerts", "{}", Json, null, 405 },
        { "DELETE", "/api/alerts/stream", null, null, null, 405 },
        { "POST", "/api/devices", "{}", Json, null, 405 },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public async Task ClientMistake_ExactStatus_ProblemWithTitle(string method, string path, string? body, string? contentType, string? header, int status)
    {
        await EnsureKnownDeviceAsync();
        var headers = header is null ? Array.Empty<(string, string)>() : [(header[..header.IndexOf(':', StringComparison.Ordinal)], header[(header.IndexOf(':', StringComparison.Ordinal) + 2)..])];
        using var response = await fixture.Admin.SendAsync(method, path, body, contentType, headers);
        if (status == 200)
        {
            // A well-formed cursor pointing nowhere in particular is not a mistake.
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return;
        }

        await Problems.AssertAsync(response, (HttpStatusCode)status);
    }

    [Fact]
    public async Task InvalidUtf8Body_400Problem()
    {
        await EnsureKnownDeviceAsync();
        byte[] bytes = [.. "{\"site\":\""u8, 0xC3, 0x28, .. "\"}"u8];
        foreach (var (path, type) in new[] { ($"/api/devices/{Known}/tags", Json), ($"/api/devices/{Known}/desired", Patch) })
        {
            using var request = new HttpRequestMessage(path.EndsWith("tags", StringComparison.Ordinal) ? HttpMethod.Put : HttpMethod.Patch, new Uri(path, UriKind.Relative))
            {
                Content = new ByteArrayContent(bytes),
            };
            request.Content.Headers.TryAddWithoutValidation("Content-Type", type);
            using var response = await fixture.Admin.SendAsync(request);
            await Problems.AssertAsync(response, HttpStatusCode.BadRequest);
        }
    }

    [Fact]
    public async Task DesiredNumbersOutOfRange_AcceptedAsJson_Never500()
    {
        var id = ApiFixture.NewDeviceId("numbers");
        using var response = await fixture.Admin.PatchDesiredAsync(id, """{"huge":1e400,"long":123456789012345678901234567890,"tiny":1e-400}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            """{"huge":1e400,"long":123456789012345678901234567890,"tiny":1e-400}""",
            (await fixture.Admin.GetJsonAsync($"/api/devices/{id}")).GetProperty("desired").GetRawText());
    }

    private async Task EnsureKnownDeviceAsync()
    {
        // A desired property creates the twin (an empty patch changes nothing and creates nothing).
        using var response = await fixture.Admin.SendAsync("PATCH", $"/api/devices/{Known}/desired", """{"known":true}""", Patch);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
