using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using DeviceTwins.Testing;

namespace DeviceTwins.EndToEndTests;

/// <summary>What a user does: kcat writes telemetry into the standalone embedded cluster, HTTP reads the twins.</summary>
public sealed class KcatToHttpTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task KcatTelemetry_HttpReturnsExactCountsAndLatestValues_PoisonGoesToDeadLetters()
    {
        await using var platform = new TestPlatform();
        await platform.StartKafkaAsync();
        await platform.StartSiloAsync("silo");

        var devices = new[] { "pump-17", "pump-18", "valve-3" };
        var lines = new List<string>();
        foreach (var (device, index) in devices.Select((d, i) => (d, i)))
        {
            for (var i = 0; i < 10; i++)
            {
                lines.Add($"{device}|{Record(device, T0.AddSeconds(i), (index * 100) + i)}");
            }

            // Late by event time: counted, never the latest value.
            lines.Add($"{device}|{Record(device, T0.AddMinutes(-5), -1)}");
        }

        lines.Add("pump-17|{\"deviceId\":\"pump-17\",\"ts\":");
        lines.Add("pump-18|{\"deviceId\":\"pump-99\",\"ts\":\"2026-11-27T08:00:00Z\",\"metrics\":{\"temperature\":1}}");
        await platform.ProduceWithKcatAsync("iot.telemetry", lines);

        foreach (var (device, index) in devices.Select((d, i) => (d, i)))
        {
            var twin = await platform.WaitForCountAsync(device, 11, TimeSpan.FromSeconds(60));
            Assert.Equal(11, twin.GetProperty("messageCount").GetInt64());
            Assert.Equal(11, twin.GetProperty("version").GetInt64());
            var temperature = twin.GetProperty("metrics").GetProperty("temperature");
            Assert.Equal((index * 100) + 9, temperature.GetProperty("value").GetDouble());
            Assert.Equal(T0.AddSeconds(9), temperature.GetProperty("ts").GetDateTimeOffset());
            Assert.Equal(T0.AddMinutes(-5), twin.GetProperty("firstSeen").GetDateTimeOffset());
            Assert.Equal(T0.AddSeconds(9), twin.GetProperty("lastSeen").GetDateTimeOffset());
            Assert.Equal("1.4.2", twin.GetProperty("props").GetProperty("firmware").GetString());
        }

        var deadLetters = await WaitForLinesAsync(platform, "iot.telemetry.dlq", "%k|%h\\n", 2);
        Assert.Contains(deadLetters, l => l.StartsWith("pump-17|", StringComparison.Ordinal) && l.Contains("dlq.reason=invalid JSON", StringComparison.Ordinal));
        Assert.Contains(deadLetters, l => l.StartsWith("pump-18|", StringComparison.Ordinal) && l.Contains("disagree", StringComparison.Ordinal));

        // The Prometheus endpoint counts what happened, per partition where it applies.
        var metrics = await platform.Http.GetStringAsync("/metrics");
        Assert.Equal(35, SumOf(metrics, "devicetwins_kafka_records_read_total"));
        Assert.Equal(2, SumOf(metrics, "devicetwins_kafka_records_dead_lettered_total"));
        Assert.Equal(33, SumOf(metrics, "devicetwins_twins_records_applied_total"));
        Assert.Equal(3, SumOf(metrics, "devicetwins_twins_active"));
        Assert.Contains("devicetwins_kafka_consumer_lag{", metrics, StringComparison.Ordinal);
        // The runtime's meter: the dashboard's memory per twin divides these by the active twins.
        Assert.Contains("dotnet_gc_last_collection_heap_size_bytes{", metrics, StringComparison.Ordinal);
        Assert.True(SumOf(metrics, "dotnet_process_memory_working_set_bytes") > 0, "no working set on /metrics");

        using (var ready = await platform.Http.GetAsync("/health/ready"))
        using (var startup = await platform.Http.GetAsync("/health/startup"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.Equal(HttpStatusCode.OK, startup.StatusCode);
        }

        var (missing, problem, contentType) = await platform.GetDeviceAsync("never-seen");
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Equal("application/problem+json", contentType);
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.Empty(await platform.RedisKeysAsync("*never-seen*"));
        var (invalid, _, _) = await platform.GetDeviceAsync("bad id!");
        Assert.Equal(HttpStatusCode.BadRequest, invalid);

        // The stand-alone API (an Orleans client, as deployed on Kubernetes) serves the same twin.
        using var api = await platform.StartApiAsync();
        using var response = await api.GetAsync("/api/devices/valve-3");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var remote = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(11, remote.GetProperty("messageCount").GetInt64());
        Assert.Equal(209, remote.GetProperty("metrics").GetProperty("temperature").GetProperty("value").GetDouble());
        Assert.Equal("\"11\"", response.Headers.ETag?.Tag);
        // One key for the twin's state, one for its retained windows (the history store), each under the service id. The
        // late record joined the 5-minute window [07:55, 08:00), which the twin's timer closes about a second after the
        // records arrived, plus the device's own offset within the quiet-close spread (up to 10 s): on the wall clock.
        var keys = await Eventually.Until(
            async () => (await platform.RedisKeysAsync("*valve-3*")).Order(StringComparer.Ordinal).Select(k => k[(k.IndexOf('/', StringComparison.Ordinal) + 1)..]).ToList(),
            list => list.Count == 2,
            TimeSpan.FromSeconds(60),
            list => $"the twin's state and its retained windows in Redis; so far: {string.Join(", ", list)}");
        Assert.Equal(["dt.history/windows/valve-3", "state/devicetwin/valve-3/twin"], keys);
    }

    private static double SumOf(string prometheusText, string metric) => prometheusText
        .Split('\n')
        .Where(line => line.StartsWith(metric + "{", StringComparison.Ordinal) || line.StartsWith(metric + " ", StringComparison.Ordinal))
        .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));

    private static async Task<IReadOnlyList<string>> WaitForLinesAsync(TestPlatform platform, string topic, string format, int count)
    {
        var lines = await Eventually.Until(() => platform.ReadWithKcatAsync(topic, format), read => read.Count >= count, TimeSpan.FromSeconds(30), $"{count} records on {topic}");
        Assert.Equal(count, lines.Count);
        return lines;
    }

    private static string Record(string device, DateTimeOffset ts, double temperature) =>
        string.Create(CultureInfo.InvariantCulture, $$$"""{"deviceId":"{{{device}}}","ts":"{{{ts:yyyy-MM-ddTHH:mm:ss.fffZ}}}","metrics":{"temperature":{{{temperature}}}},"props":{"firmware":"1.4.2"}}""");
}
