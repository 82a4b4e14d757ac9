using System.Diagnostics;
using Xunit.Abstractions;

namespace DeviceTwins.EndToEndTests;

/// <summary>Three silo processes share the telemetry partitions through Redis clustering; one is killed and the others take its partitions and twins over.</summary>
public sealed class MultiSiloTests(ITestOutputHelper output)
{
    private const int Devices = 200;
    private const int RecordsPerDevice = 100;

    [Fact]
    public async Task OneOfThreeSilosKilled_OthersTakeOverItsPartitions_NoRecordLostOrAppliedTwice()
    {
        await using var platform = new TestPlatform();
        await platform.StartKafkaAsync();
        await platform.StartSiloAsync("silo-a", slot: 0, settings: TestPlatform.OverloadRule);
        var victim = await platform.StartSiloAsync("silo-b", slot: 1, settings: TestPlatform.OverloadRule);
        await platform.StartSiloAsync("silo-c", slot: 2, settings: TestPlatform.OverloadRule);
        var ids = Enumerable.Range(0, Devices).Select(i => $"multi-{i:D3}").ToArray();

        var acted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var producing = Task.Run(() => platform.ProduceRoundsAsync(ids, RecordsPerDevice, TimeSpan.FromMilliseconds(50), acted.Task));
        await platform.WaitForCountAsync(ids[0], RecordsPerDevice / 4, TimeSpan.FromSeconds(60));
        await victim.KillAsync();
        var recovery = Stopwatch.StartNew();
        acted.SetResult();
        await producing;

        // Every twin is read through the surviving silos' APIs, alternating between them.
        for (var i = 0; i < ids.Length; i++)
        {
            var twin = await platform.WaitForCountAsync(ids[i], RecordsPerDevice, TimeSpan.FromSeconds(180), platform.ApiOf(i % 2 == 0 ? 0 : 2));
            Assert.True(twin.GetProperty("messageCount").GetInt64() == RecordsPerDevice, $"{ids[i]} applied {twin.GetProperty("messageCount")} records, expected {RecordsPerDevice}");
            Assert.Equal(RecordsPerDevice, twin.GetProperty("version").GetInt64());
        }

        output.WriteLine($"All {Devices * RecordsPerDevice} records applied exactly once; {recovery.Elapsed.TotalSeconds:F1} s from the kill to the last twin complete.");
        Assert.Empty(await platform.ReadWithKcatAsync("iot.telemetry.dlq", "%k\\n"));
        var overload = await platform.AssertOneOverloadAlertEachAsync(ids);
        output.WriteLine($"{overload} overload alert records, one alert id per overloaded device while partitions moved.");
    }
}
