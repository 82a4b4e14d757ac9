using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using DeviceTwins.Testing;
using Xunit.Abstractions;

namespace DeviceTwins.EndToEndTests;

/// <summary>A silo killed mid-stream (SIGKILL) and restarted against the same Kafka and Redis loses nothing and applies nothing twice.</summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    private const int Devices = 200;
    private const int RecordsPerDevice = 100;

    [Fact]
    public async Task SiloKilledMidStream_RestartedSiloServesSameTwins_NoRecordLostOrAppliedTwice()
    {
        await using var platform = new TestPlatform();
        await platform.StartKafkaAsync();
        var first = await platform.StartSiloAsync("silo-1", settings: TestPlatform.OverloadRule);
        var ids = Enumerable.Range(0, Devices).Select(i => $"crash-{i:D3}").ToArray();

        // The producer holds its second half until the kill, so the kill always lands mid-stream and records keep
        // arriving while the silo is down.
        var acted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var producing = Task.Run(() => platform.ProduceRoundsAsync(ids, RecordsPerDevice, TimeSpan.FromMilliseconds(50), acted.Task));
        await platform.WaitForCountAsync(ids[0], RecordsPerDevice / 4, TimeSpan.FromSeconds(60));
        var (_, beforeKill, _) = await platform.GetDeviceAsync(ids[^1]);
        await first.KillAsync();
        output.WriteLine($"Killed silo-1 while {ids[^1]} had applied {beforeKill.GetProperty("messageCount")} of {RecordsPerDevice} records.");
        acted.SetResult();
        await producing;
        await platform.StartSiloAsync("silo-2", settings: TestPlatform.OverloadRule);

        foreach (var id in ids)
        {
            var twin = await platform.WaitForCountAsync(id, RecordsPerDevice, TimeSpan.FromSeconds(120));
            Assert.True(twin.GetProperty("messageCount").GetInt64() == RecordsPerDevice, $"{id} applied {twin.GetProperty("messageCount")} records, expected {RecordsPerDevice}");
            Assert.Equal(RecordsPerDevice, twin.GetProperty("version").GetInt64());
            Assert.Equal(RecordsPerDevice - 1, twin.GetProperty("metrics").GetProperty("seq").GetProperty("value").GetDouble());
        }

        Assert.Empty(await platform.ReadWithKcatAsync("iot.telemetry.dlq", "%k\\n"));
        var overload = await platform.AssertOneOverloadAlertEachAsync(ids);
        output.WriteLine($"{overload} overload alert records, one alert id per overloaded device despite the replay.");
        output.WriteLine($"After SIGKILL, the restarted silo skipped {await ReplayedAsync(platform)} replayed record(s) of {Devices * RecordsPerDevice}.");
    }

    private static async Task<double> ReplayedAsync(TestPlatform platform)
    {
        var metrics = await platform.Http.GetStringAsync("/metrics");
        return metrics.Split('\n')
            .Where(l => l.StartsWith("devicetwins_twins_records_replayed_total", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task SiloStoppedWithSigterm_CommitsAndLeaves_RestartedSiloReplaysLittle()
    {
        await using var platform = new TestPlatform();
        await platform.StartKafkaAsync();
        var first = await platform.StartSiloAsync("silo-1", settings: TestPlatform.OverloadRule);
        var ids = Enumerable.Range(0, Devices).Select(i => $"stop-{i:D3}").ToArray();

        var acted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var producing = Task.Run(() => platform.ProduceRoundsAsync(ids, RecordsPerDevice, TimeSpan.FromMilliseconds(50), acted.Task));
        await platform.WaitForCountAsync(ids[0], RecordsPerDevice / 4, TimeSpan.FromSeconds(60));
        await first.StopAsync(TimeSpan.FromSeconds(60));
        acted.SetResult();
        Assert.True(first.HasExited, "silo-1 did not stop on SIGTERM");
        Assert.Equal(0, await first.WaitForExitAsync(TimeSpan.FromSeconds(5)));
        Assert.Contains("on shutdown", first.Output, StringComparison.Ordinal);
        await producing;
        await platform.StartSiloAsync("silo-2", settings: TestPlatform.OverloadRule);

        foreach (var id in ids)
        {
            var twin = await platform.WaitForCountAsync(id, RecordsPerDevice, TimeSpan.FromSeconds(120));
            Assert.Equal(RecordsPerDevice, twin.GetProperty("messageCount").GetInt64());
        }

        await platform.AssertOneOverloadAlertEachAsync(ids);
        output.WriteLine($"After a SIGTERM stop, the restarted silo skipped {await ReplayedAsync(platform)} replayed record(s) of {Devices * RecordsPerDevice}.");
    }

    /// <summary>Wake sweeps fast, so a test waits seconds, not the defaults' tens of seconds.</summary>
    private static readonly Dictionary<string, string> QuickWake = new()
    {
        ["Wake__SweepInterval"] = "00:00:01",
        ["Wake__Grace"] = "00:00:02",
    };

    [Fact]
    public async Task DevicesSilentWhenTheirSiloIsKilled_RestartedSiloReportsEachOfflineOnce_AndPublishesTheirLastWindowsOnce()
    {
        const int silent = 20;
        const int records = 8;
        await using var platform = new TestPlatform();
        await platform.StartKafkaAsync();
        var first = await platform.StartSiloAsync("silo-1", settings: QuickWake);
        var ids = Enumerable.Range(0, silent).Select(i => $"silent-{i:D2}").ToArray();

        // Eight records 10 s apart in event time, the last one now: the heartbeat learns a 10 s interval and expects the
        // next record within 3 intervals, so each device's offline deadline is about 30 s away when its silo dies.
        var now = DateTimeOffset.UtcNow;
        await platform.ProduceWithKcatAsync("iot.telemetry", ids.SelectMany(id => Enumerable.Range(0, records).Select(seq =>
            string.Create(CultureInfo.InvariantCulture, $$$"""{{{id}}}|{"deviceId":"{{{id}}}","ts":{{{now.AddSeconds(10 * (seq - records + 1)).ToUnixTimeMilliseconds()}}},"metrics":{"seq":{{{seq}}}}}"""))));
        foreach (var id in ids)
        {
            await platform.WaitForCountAsync(id, records, TimeSpan.FromSeconds(60));
        }

        await first.KillAsync();
        var killed = Stopwatch.StartNew();
        Assert.Empty(await OfflineRaisesAsync(platform));
        await platform.StartSiloAsync("silo-2", settings: QuickWake);

        // Nothing of these devices is redelivered (their offsets were committed): only the wake index can wake them.
        var raises = await Eventually.Until(
            () => OfflineRaisesAsync(platform),
            list => ids.All(id => list.Any(a => a.GetProperty("deviceId").GetString() == id)),
            TimeSpan.FromSeconds(120),
            list => $"an offline raise for each of {silent} silent devices; {list.Count} so far\n{platform.Diagnostics}");
        output.WriteLine($"Every silent device reported offline {killed.Elapsed.TotalSeconds:F1} s after its silo was killed (deadline about 30 s after the kill).");
        foreach (var device in raises.GroupBy(a => a.GetProperty("deviceId").GetString()!))
        {
            Assert.Contains(device.Key, ids);
            Assert.Single(device.Select(a => a.GetProperty("id").GetString()).Distinct());
        }

        // Every record of each device is in exactly one window. A window published by the killed silo whose removal from
        // the outbox was not yet stored is published again by the new one, identical (same id): consumers keep one.
        var windows = await Eventually.Until(
            async () => (await platform.ReadWithKcatAsync("iot.aggregates", "%s\\n")).Select(line => JsonDocument.Parse(line).RootElement).ToList(),
            list => ids.All(id => DistinctWindows(list, id).Sum(w => w.GetProperty("count").GetInt64()) >= records),
            TimeSpan.FromSeconds(60),
            list => $"windows covering the {records} records of each device; {list.Count} window records so far");
        foreach (var id in ids)
        {
            Assert.Equal(records, DistinctWindows(windows, id).Sum(w => w.GetProperty("count").GetInt64()));
        }

        var distinct = windows.Select(w => w.GetProperty("deviceId").GetString() + "@" + w.GetProperty("start").GetString()).Distinct().Count();
        output.WriteLine($"{windows.Count} window records for {distinct} windows: the difference was published again after the kill, identical.");
    }

    // The device's one-minute windows (the 5-minute ones close up to 5 min later), one per start; every copy of a window
    // must be the same record.
    private static List<JsonElement> DistinctWindows(List<JsonElement> windows, string deviceId) =>
        [.. windows.Where(w => w.GetProperty("deviceId").GetString() == deviceId && w.GetProperty("windowSeconds").GetInt64() == 60)
            .GroupBy(w => w.GetProperty("start").GetString())
            .Select(copies =>
            {
                Assert.Single(copies.Select(c => c.GetRawText()).Distinct());
                return copies.First();
            })];

    [Fact]
    public async Task SiloKilledBeforeItsReporterSent_FleetQueryExactAfterRestart_WithoutTheDevicesWritingAgain()
    {
        const int devices = 30;
        await using var platform = new TestPlatform();
        await platform.StartKafkaAsync();
        // The first silo's reporter would send its summaries only after a minute: the kill always lands before.
        var first = await platform.StartSiloAsync("silo-1", settings: new Dictionary<string, string> { ["DeviceIndex__FlushInterval"] = "00:01:00" });
        var ids = Enumerable.Range(0, devices).Select(i => $"indexed-{i:D2}").ToArray();
        // A first query activates every index shard while no device exists, so the shards take nothing at activation.
        Assert.Empty((await platform.Http.GetFromJsonAsync<JsonElement>("/api/devices?limit=1000")).GetProperty("items").EnumerateArray());
        var now = DateTimeOffset.UtcNow;
        await platform.ProduceWithKcatAsync("iot.telemetry", ids.SelectMany((id, d) => Enumerable.Range(0, 3).Select(seq =>
            string.Create(CultureInfo.InvariantCulture, $$$"""{{{id}}}|{"deviceId":"{{{id}}}","ts":{{{now.AddSeconds(seq - 3).ToUnixTimeMilliseconds()}}},"metrics":{"load":{{{d * 10 + seq}}}}}"""))));
        foreach (var id in ids)
        {
            await platform.WaitForCountAsync(id, 3, TimeSpan.FromSeconds(60));
        }

        // Applied and stored, yet not in the index: the reporter has not sent.
        Assert.Empty((await platform.Http.GetFromJsonAsync<JsonElement>("/api/devices?limit=1000")).GetProperty("items").EnumerateArray());
        await first.KillAsync();
        var second = await platform.StartSiloAsync("silo-2");
        var restarted = Stopwatch.StartNew();

        // No device writes again: the index shards take the summaries stored with the twins.
        var items = await Eventually.Until(
            async () => (await platform.Http.GetFromJsonAsync<JsonElement>("/api/devices?limit=1000")).GetProperty("items").EnumerateArray().ToList(),
            list => list.Count == devices,
            TimeSpan.FromSeconds(30),
            list => $"{devices} devices in the fleet query; {list.Count} so far");
        output.WriteLine($"The fleet query listed every device {restarted.Elapsed.TotalSeconds:F1} s after the restarted silo was up.");
        Assert.Equal(ids, items.Select(d => d.GetProperty("deviceId").GetString()));
        for (var d = 0; d < devices; d++)
        {
            Assert.Equal(3, items[d].GetProperty("version").GetInt64());
            Assert.Equal(d * 10 + 2, items[d].GetProperty("metrics").GetProperty("load").GetDouble());
            Assert.Equal(now.AddSeconds(-1).ToUnixTimeMilliseconds(), items[d].GetProperty("lastSeen").GetDateTimeOffset().ToUnixTimeMilliseconds());
        }

        // The shards rebuilt from the twins' summaries and, the store being durable, keep no copy of their own: even a
        // graceful stop, which writes a changed shard's copy, leaves none (it would cost the whole shard per write).
        await second.StopAsync(TimeSpan.FromSeconds(60));
        Assert.NotEmpty(await platform.RedisKeysAsync("/dt.devices/*"));
        Assert.Empty(await platform.RedisKeysAsync("/state/deviceindex/*"));
    }

    private static async Task<List<JsonElement>> OfflineRaisesAsync(TestPlatform platform) =>
        [.. (await platform.ReadWithKcatAsync("iot.alerts", "%s\\n"))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Where(a => a.GetProperty("rule").GetString() == "offline" && a.GetProperty("state").GetString() == "raised")];
}
