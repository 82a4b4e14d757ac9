using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using DeviceTwins.Testing;

namespace DeviceTwins.EndToEndTests;

/// <summary>
/// A fleet query followed live over server-sent events: kcat writes telemetry, the stream sends the matching devices as
/// a snapshot, then each device entering, changing and leaving the result, in order; a reconnection starts with a snapshot.
/// </summary>
public sealed class FleetChangesEndToEndTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task FleetChanges_KcatRecords_SnapshotThenAddedRemovedChanged_ReconnectSnapshot()
    {
        await using var platform = new TestPlatform();
        await platform.StartKafkaAsync();
        await platform.StartSiloAsync("silo");
        const string hot = "/api/fleet/changes?metric=temperature%3E80";
        var t0 = DateTimeOffset.UtcNow;

        await platform.ProduceWithKcatAsync("iot.telemetry", ["fc-01|" + Record("fc-01", t0, 85), "fc-02|" + Record("fc-02", t0, 70)]);
        await platform.WaitForCountAsync("fc-01", 1, Timeout);
        await platform.WaitForCountAsync("fc-02", 1, Timeout);
        await Eventually.Until(() => IdsAsync(platform.Http, "/api/devices?metric=temperature%3E80"), ids => ids.SequenceEqual(["fc-01"]), Timeout, ids => string.Join(",", ids));

        foreach (var (query, parameter) in new[] { ("cursor=ZmMtMDE", "cursor"), ("limit=0", "limit"), ("metric=temperature", "metric"), ("sort=id", "sort") })
        {
            using var refused = await platform.Http.GetAsync("/api/fleet/changes?" + query);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Equal(parameter, (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("parameter").GetString());
        }

        using (var anonymous = new HttpClient { BaseAddress = platform.Http.BaseAddress })
        using (var refused = await anonymous.GetAsync(hot))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        await using (var stream = await SseClient.OpenAsync(platform.Http, hot))
        {
            var snapshot = await stream.NextAsync(Timeout);
            Assert.Equal(("1", "snapshot"), (snapshot.Id, snapshot.Type));
            var body = JsonDocument.Parse(snapshot.Data).RootElement;
            Assert.Equal(["fc-01"], body.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("deviceId").GetString()!));
            Assert.Equal(85, body.GetProperty("items")[0].GetProperty("metrics").GetProperty("temperature").GetDouble());
            Assert.False(body.GetProperty("truncated").GetBoolean());
            Assert.Equal("PT1S", body.GetProperty("staleness").GetString());

            // fc-02 heats up: it enters the result.
            await platform.ProduceWithKcatAsync("iot.telemetry", ["fc-02|" + Record("fc-02", t0.AddSeconds(1), 90)]);
            var added = await stream.NextAsync(Timeout);
            Assert.Equal(("2", "added"), (added.Id, added.Type));
            var device = JsonDocument.Parse(added.Data).RootElement;
            Assert.Equal("fc-02", device.GetProperty("deviceId").GetString());
            Assert.Equal(90, device.GetProperty("metrics").GetProperty("temperature").GetDouble());

            // fc-01 cools down: it leaves.
            await platform.ProduceWithKcatAsync("iot.telemetry", ["fc-01|" + Record("fc-01", t0.AddSeconds(2), 60)]);
            var removed = await stream.NextAsync(Timeout);
            Assert.Equal(("3", "removed"), (removed.Id, removed.Type));
            Assert.Equal("""{"deviceId":"fc-01"}""", removed.Data);

            // fc-02 gets hotter: still in, changed.
            await platform.ProduceWithKcatAsync("iot.telemetry", ["fc-02|" + Record("fc-02", t0.AddSeconds(3), 95)]);
            var changed = await stream.NextAsync(Timeout);
            Assert.Equal(("4", "changed"), (changed.Id, changed.Type));
            device = JsonDocument.Parse(changed.Data).RootElement;
            Assert.Equal(("fc-02", 95.0, 3L), (device.GetProperty("deviceId").GetString(), device.GetProperty("metrics").GetProperty("temperature").GetDouble(), device.GetProperty("version").GetInt64()));
        }

        // A reconnection starts again with the result as it is now.
        await using (var resumed = await SseClient.OpenAsync(platform.Http, hot, lastEventId: "4"))
        {
            var snapshot = await resumed.NextAsync(Timeout);
            Assert.Equal(("1", "snapshot"), (snapshot.Id, snapshot.Type));
            Assert.Equal(["fc-02"], JsonDocument.Parse(snapshot.Data).RootElement.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("deviceId").GetString()!));
        }
    }

    private static async Task<IReadOnlyList<string>> IdsAsync(HttpClient http, string path)
    {
        var body = await http.GetFromJsonAsync<JsonElement>(path);
        return [.. body.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("deviceId").GetString()!)];
    }

    private static string Record(string device, DateTimeOffset ts, double temperature) =>
        string.Create(CultureInfo.InvariantCulture, $$$"""{"deviceId":"{{{device}}}","ts":"{{{ts:O}}}","metrics":{"temperature":{{{temperature}}}}}""");
}
