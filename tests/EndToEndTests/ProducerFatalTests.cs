using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DeviceTwins.Testing;
using Xunit.Abstractions;

namespace DeviceTwins.EndToEndTests;

/// <summary>The output producer's fatal error, injected through the embedded cluster's control API, heals without a restart.</summary>
public sealed class ProducerFatalTests(ITestOutputHelper output)
{
    [Fact]
    public async Task OutputProducerFailsFatally_ReplacedWithoutRestart_NothingLostNothingPublishedTwice_InOrder()
    {
        await using var platform = new TestPlatform();
        await platform.StartKafkaAsync();
        var silo = await platform.StartSiloAsync("silo", settings: TestPlatform.OverloadRule);
        using var control = new HttpClient { BaseAddress = platform.KafkaControl, Timeout = TimeSpan.FromSeconds(30) };
        var now = DateTimeOffset.UtcNow;
        await platform.ProduceWithKcatAsync("iot.telemetry", ["valve-1|" + Load(now, 95)]);
        await Eventually.Until(() => OverloadAsync(platform), a => a.Count == 1, TimeSpan.FromSeconds(60), a => $"the overload raise; {a.Count} so far");

        // The next produce request fails with OUT_OF_ORDER_SEQUENCE_NUMBER at the head of the line: for an idempotent
        // producer a fatal error. Nothing else produces now, so the silo's next output takes it: a desired change.
        using (var pushed = await control.PostAsync("/requests/0/errors", new StringContent("""{"errors":[45]}""", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.OK, pushed.StatusCode);
        }

        foreach (var rate in new[] { 10, 20, 30 })
        {
            using var request = new HttpRequestMessage(HttpMethod.Patch, "/api/devices/valve-1/desired") { Content = new StringContent($$"""{"rate":{{rate}}}""", Encoding.UTF8) };
            request.Content.Headers.ContentType = new("application/merge-patch+json");
            using var patched = await platform.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        }

        var desired = await Eventually.Until(
            () => platform.ReadWithKcatAsync("iot.twin.desired", "%h|%s\\n"),
            records => records.Count >= 3,
            TimeSpan.FromSeconds(60),
            records => $"3 desired changes after the fatal error; {records.Count} so far\n{silo.Output}");
        // Once each, in order of version, through the new producer.
        Assert.Equal(["dt.id=valve-1:2", "dt.id=valve-1:3", "dt.id=valve-1:4"], desired.Select(r => r[..r.IndexOf('|', StringComparison.Ordinal)]));
        Assert.Equal([10, 20, 30], desired.Select(r => JsonDocument.Parse(r[(r.IndexOf('|', StringComparison.Ordinal) + 1)..]).RootElement.GetProperty("desired").GetProperty("rate").GetInt32()));
        Assert.Contains("failed fatally", silo.Output, StringComparison.Ordinal);

        // The replaced producer keeps publishing: the clear of the alert, once.
        await platform.ProduceWithKcatAsync("iot.telemetry", ["valve-1|" + Load(now.AddSeconds(1), 20)]);
        var alerts = await Eventually.Until(() => OverloadAsync(platform), a => a.Count == 2, TimeSpan.FromSeconds(60), a => $"the overload raise and clear; {a.Count} so far");
        Assert.Equal(["raised", "cleared"], alerts.Select(a => a.GetProperty("state").GetString()));
        Assert.False(silo.HasExited);
        var metrics = await platform.Http.GetStringAsync("/metrics");
        Assert.Contains(metrics.Split('\n'), l => l.StartsWith("devicetwins_alerts_producer_replacements_total{", StringComparison.Ordinal) && l.EndsWith(" 1", StringComparison.Ordinal));
        output.WriteLine(string.Join('\n', metrics.Split('\n').Where(l => l.Contains("replacements", StringComparison.Ordinal))));
        output.WriteLine(string.Join('\n', silo.Output.Split('\n').Where(l => l.Contains("fatal", StringComparison.OrdinalIgnoreCase))));
    }

    private static string Load(DateTimeOffset ts, int load) =>
        string.Create(CultureInfo.InvariantCulture, $$$"""{"deviceId":"valve-1","ts":{{{ts.ToUnixTimeMilliseconds()}}},"metrics":{"load":{{{load}}}}}""");

    private static async Task<List<JsonElement>> OverloadAsync(TestPlatform platform) =>
        [.. (await platform.ReadWithKcatAsync("iot.alerts", "%s\\n")).Select(l => JsonDocument.Parse(l).RootElement).Where(a => a.GetProperty("rule").GetString() == "overload")];
}
