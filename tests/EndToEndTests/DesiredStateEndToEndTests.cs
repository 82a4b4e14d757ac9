using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

using DeviceTwins.Testing;

namespace DeviceTwins.EndToEndTests;

/// <summary>
/// What an operator and a device see: PATCH desired over HTTP lands on iot.twin.desired (read with kcat), a report produced
/// with kcat clears the delta, conditional writes, read-your-write, and the problems for bad patches.
/// </summary>
public sealed class DesiredStateEndToEndTests
{
    private const string MergePatch = "application/merge-patch+json";
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 7, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task PatchDesired_LandsOnTheDesiredTopic_AReportClearsTheDelta_ConditionalWritesAndProblems()
    {
        await using var platform = new TestPlatform();
        await platform.StartKafkaAsync();
        await platform.StartSiloAsync("silo");
        var http = platform.Http;

        await platform.ProduceWithKcatAsync("iot.telemetry", ["thermo-1|" + Report(T0, """{"cfg":{"rate":5},"fw":"1.0"}""")]);
        var reported = await platform.WaitForCountAsync("thermo-1", 1, TimeSpan.FromSeconds(60));
        Assert.Equal(1, reported.GetProperty("version").GetInt64());
        Assert.Equal("""{"cfg":{"rate":5},"fw":"1.0"}""", reported.GetProperty("reported").GetRawText());
        Assert.Equal("converged", reported.GetProperty("convergence").GetString());

        // A conditional PATCH returns the new twin and ETag at once, and a GET right after it sees the write.
        using (var patched = await Patch(http, "thermo-1", """{"cfg":{"rate":10}}""", ifMatch: "\"1\""))
        {
            Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
            Assert.Equal("\"2\"", patched.Headers.ETag?.Tag);
            var twin = await patched.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(2, twin.GetProperty("version").GetInt64());
            Assert.Equal("""{"cfg":{"rate":10}}""", twin.GetProperty("desired").GetRawText());
            Assert.Equal("""{"cfg":{"rate":10}}""", twin.GetProperty("delta").GetRawText());
            Assert.Equal("pending", twin.GetProperty("convergence").GetString());
            var updatedAt = twin.GetProperty("updatedAt").GetDateTimeOffset();
            Assert.Equal(updatedAt, twin.GetProperty("pendingSince").GetDateTimeOffset());
            Assert.Equal(updatedAt, twin.GetProperty("metadata").GetProperty("desired").GetProperty("/cfg/rate").GetProperty("lastUpdated").GetDateTimeOffset());
            Assert.Equal("rest", twin.GetProperty("metadata").GetProperty("desired").GetProperty("/cfg/rate").GetProperty("source").GetString());

            using var read = await http.GetAsync("/api/devices/thermo-1");
            Assert.Equal("\"2\"", read.Headers.ETag?.Tag);
            var after = await read.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("""{"cfg":{"rate":10}}""", after.GetProperty("desired").GetRawText());
            Assert.Equal("""{"cfg":{"rate":10}}""", after.GetProperty("delta").GetRawText());

            // The change is on iot.twin.desired, keyed by device, with its id in dt.id; the refused writes below add nothing.
            var records = await Eventually.Until(
                () => platform.ReadWithKcatAsync("iot.twin.desired", "%k|%h|%s\\n"),
                lines => lines.Count >= 1,
                TimeSpan.FromSeconds(30),
                "the desired change on iot.twin.desired");
            Assert.Equal(
                [$$$"""thermo-1|dt.id=thermo-1:2|{"deviceId":"thermo-1","version":2,"desired":{"cfg":{"rate":10}},"delta":{"cfg":{"rate":10}},"time":{{{JsonSerializer.Serialize(updatedAt)}}}}"""],
                records);
        }

        // Stale, malformed and impossible preconditions.
        await AssertProblem(await Patch(http, "thermo-1", """{"cfg":{"rate":11}}""", ifMatch: "\"1\""), HttpStatusCode.PreconditionFailed, "Precondition failed");
        await AssertProblem(await Patch(http, "thermo-1", """{"cfg":{"rate":11}}""", ifMatch: "1"), HttpStatusCode.BadRequest, "Invalid If-Match");
        await AssertProblem(await Patch(http, "fresh-2", """{"cfg":{"rate":11}}""", ifMatch: "*"), HttpStatusCode.PreconditionFailed, "Precondition failed");

        // Too large, too deep, wrong media type, invalid JSON, not an object.
        var large = "{\"blob\":\"" + new string('x', 32 * 1024) + "\"}";
        await AssertProblem(await Patch(http, "thermo-1", large), HttpStatusCode.RequestEntityTooLarge, "Patch too large");
        var deep = new StringBuilder().Insert(0, "{\"a\":", 9).Append('1').Append('}', 9).ToString();
        var tooDeep = await AssertProblem(await Patch(http, "thermo-1", deep), HttpStatusCode.BadRequest, "Invalid desired patch");
        Assert.Equal("The patch is nested deeper than the limit (Twin:MaxDepth) of 8 levels.", tooDeep.GetProperty("detail").GetString());
        await AssertProblem(await Patch(http, "thermo-1", """{"cfg":{"rate":11}}""", contentType: "text/plain"), HttpStatusCode.UnsupportedMediaType, "Unsupported Media Type");
        await AssertProblem(await Patch(http, "thermo-1", """{"cfg":""", contentType: "application/json"), HttpStatusCode.BadRequest, "Invalid desired patch");
        await AssertProblem(await Patch(http, "thermo-1", "[1]"), HttpStatusCode.BadRequest, "Invalid desired patch");

        // The device reports the desired value (10.0 equals 10): the delta clears by itself.
        await platform.ProduceWithKcatAsync("iot.telemetry", ["thermo-1|" + Report(T0.AddSeconds(5), """{"cfg":{"rate":10.0}}""")]);
        var converged = await platform.WaitForCountAsync("thermo-1", 2, TimeSpan.FromSeconds(60));
        Assert.Equal(3, converged.GetProperty("version").GetInt64());
        Assert.Equal("{}", converged.GetProperty("delta").GetRawText());
        Assert.Equal("converged", converged.GetProperty("convergence").GetString());
        Assert.False(converged.TryGetProperty("pendingSince", out _));
        Assert.Equal("""{"cfg":{"rate":10.0},"fw":"1.0"}""", converged.GetProperty("reported").GetRawText());
        var rate = converged.GetProperty("metadata").GetProperty("reported").GetProperty("/cfg/rate");
        var fw = converged.GetProperty("metadata").GetProperty("reported").GetProperty("/fw");
        Assert.Equal(T0.AddSeconds(5), rate.GetProperty("lastUpdated").GetDateTimeOffset());
        Assert.Equal("device", rate.GetProperty("source").GetString());
        Assert.Equal("iot.telemetry", rate.GetProperty("topic").GetString());
        Assert.Equal(fw.GetProperty("partition").GetInt32(), rate.GetProperty("partition").GetInt32());
        Assert.Equal(0, fw.GetProperty("offset").GetInt64());
        Assert.Equal(1, rate.GetProperty("offset").GetInt64());
        Assert.Single(await platform.ReadWithKcatAsync("iot.twin.desired", "%k\\n"));

        // Tags take If-Match too.
        await AssertProblem(await PutTags(http, "thermo-1", "\"2\""), HttpStatusCode.PreconditionFailed, "Precondition failed");
        using (var tagged = await PutTags(http, "thermo-1", "\"3\""))
        {
            Assert.Equal(HttpStatusCode.OK, tagged.StatusCode);
            Assert.Equal("\"4\"", tagged.Headers.ETag?.Tag);
        }

        // A device never seen: its desired state creates the twin (configured before it first reports).
        using (var created = await Patch(http, "fresh-1", """{"fw":"2.0"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, created.StatusCode);
            Assert.Equal("\"1\"", created.Headers.ETag?.Tag);
        }

        var (status, fresh, _) = await platform.GetDeviceAsync("fresh-1");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, fresh.GetProperty("messageCount").GetInt64());
        Assert.False(fresh.TryGetProperty("firstSeen", out _));
        Assert.Equal("""{"fw":"2.0"}""", fresh.GetProperty("delta").GetRawText());
        Assert.Equal("pending", fresh.GetProperty("convergence").GetString());
    }

    private static async Task<HttpResponseMessage> Patch(HttpClient http, string device, string body, string? ifMatch = null, string contentType = MergePatch)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, "/api/devices/" + device + "/desired")
        {
            Content = new StringContent(body, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return await http.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> PutTags(HttpClient http, string device, string ifMatch)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/devices/" + device + "/tags")
        {
            Content = new StringContent("""{"site":"plant-a"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await http.SendAsync(request);
    }

    private static async Task<JsonElement> AssertProblem(HttpResponseMessage response, HttpStatusCode status, string title)
    {
        using (response)
        {
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal((int)status, body.GetProperty("status").GetInt32());
            Assert.Equal(title, body.GetProperty("title").GetString());
            return body;
        }
    }

    private static string Report(DateTimeOffset ts, string reported) =>
        string.Create(CultureInfo.InvariantCulture, $$$"""{"deviceId":"thermo-1","ts":"{{{ts:yyyy-MM-ddTHH:mm:ss.fffZ}}}","reported":{{{reported}}}}""");
}
