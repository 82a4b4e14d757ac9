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
}
