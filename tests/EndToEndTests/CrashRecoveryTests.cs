using System.Globalization;
using System.Net;
using System.Text;
using Confluent.Kafka;
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
        var first = await platform.StartSiloAsync("silo-1");
        var ids = Enumerable.Range(0, Devices).Select(i => $"crash-{i:D3}").ToArray();

        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
        {
            BootstrapServers = platform.BootstrapServers,
            EnableIdempotence = true,
            Acks = Acks.All,
            LingerMs = 5,
            Partitioner = Partitioner.Murmur2Random,
        }).Build();

        // Records keep flowing while the silo is killed, stays down and restarts.
        var producing = Task.Run(() => ProduceRoundsAsync(producer, ids, 0, RecordsPerDevice, TimeSpan.FromMilliseconds(30)));
        await WaitUntilAsync(platform, ids[0], RecordsPerDevice / 4);
        var (_, beforeKill, _) = await platform.GetDeviceAsync(ids[^1]);
        await first.KillAsync();
        output.WriteLine($"Killed silo-1 while {ids[^1]} had applied {beforeKill.GetProperty("messageCount")} of {RecordsPerDevice} records.");
        Assert.False(producing.IsCompleted, "The producer finished before the kill: the kill was not mid-stream.");
        await producing;
        await platform.StartSiloAsync("silo-2");

        foreach (var id in ids)
        {
            var twin = await platform.WaitForCountAsync(id, RecordsPerDevice, TimeSpan.FromSeconds(120));
            Assert.True(twin.GetProperty("messageCount").GetInt64() == RecordsPerDevice, $"{id} applied {twin.GetProperty("messageCount")} records, expected {RecordsPerDevice}");
            Assert.Equal(RecordsPerDevice, twin.GetProperty("version").GetInt64());
            Assert.Equal(RecordsPerDevice - 1, twin.GetProperty("metrics").GetProperty("seq").GetProperty("value").GetDouble());
        }

        Assert.Empty(await platform.ReadWithKcatAsync("iot.telemetry.dlq", "%k\\n"));
    }

    private static async Task WaitUntilAsync(TestPlatform platform, string id, long count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while ((await platform.GetDeviceAsync(id)) is var (status, body, _) && (status != HttpStatusCode.OK || body.GetProperty("messageCount").GetInt64() < count))
        {
            Assert.True(DateTime.UtcNow < deadline, $"{id} never reached {count} records.\n{platform.Diagnostics}");
            await Task.Delay(20);
        }
    }

    private static async Task ProduceRoundsAsync(IProducer<byte[], byte[]> producer, string[] ids, int from, int to, TimeSpan pause)
    {
        var start = new DateTimeOffset(2026, 11, 27, 7, 0, 0, TimeSpan.Zero);
        for (var seq = from; seq < to; seq++)
        {
            foreach (var id in ids)
            {
                var value = string.Create(CultureInfo.InvariantCulture, $$$"""{"deviceId":"{{{id}}}","ts":{{{start.AddSeconds(seq).ToUnixTimeMilliseconds()}}},"metrics":{"seq":{{{seq}}}}}""");
                producer.Produce("iot.telemetry", new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(id), Value = Encoding.UTF8.GetBytes(value) });
            }

            await Task.Delay(pause);
        }

        await Task.Run(() => producer.Flush(TimeSpan.FromSeconds(30)));
    }
}
