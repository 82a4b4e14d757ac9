using System.Globalization;
using DeviceTwins.Testing;

namespace DeviceTwins.EndToEndTests;

/// <summary>
/// A device's stream stays registered in the silo's pulling agents only for <c>Kafka:StreamInactivityPeriod</c> after its
/// last record: a fleet's quiet devices cost the stream side nothing, and a device that speaks again is delivered as before.
/// </summary>
public sealed class StreamInactivityTests
{
    [Fact]
    public async Task DeviceQuietForTheInactivityPeriod_ItsStreamIsDropped_ItsNextRecordIsApplied()
    {
        await using var platform = new TestPlatform();
        await platform.StartKafkaAsync();
        await platform.StartSiloAsync("silo-1", settings: new Dictionary<string, string> { ["Kafka__StreamInactivityPeriod"] = "00:00:02" });
        var now = DateTimeOffset.UtcNow;

        await platform.ProduceWithKcatAsync("iot.telemetry", [Record("quiet-1", now.AddSeconds(-2), 1)]);
        await platform.WaitForCountAsync("quiet-1", 1, TimeSpan.FromSeconds(60));

        // Delivered, so registered; the agents look for quiet streams ten times per period.
        await Eventually.Until(() => PubSubCacheSizeAsync(platform), size => size == 0, TimeSpan.FromSeconds(30), size => $"{size} streams still registered");

        await platform.ProduceWithKcatAsync("iot.telemetry", [Record("quiet-1", now.AddSeconds(-1), 2)]);
        var twin = await platform.WaitForCountAsync("quiet-1", 2, TimeSpan.FromSeconds(60));
        Assert.Equal(2, twin.GetProperty("metrics").GetProperty("load").GetProperty("value").GetDouble());
    }

    private static string Record(string id, DateTimeOffset at, double load) =>
        string.Create(CultureInfo.InvariantCulture, $$$"""{{{id}}}|{"deviceId":"{{{id}}}","ts":{{{at.ToUnixTimeMilliseconds()}}},"metrics":{"load":{{{load}}}}}""");

    // Streams registered in all of the silo's pulling agents (Orleans' gauge, one series per queue).
    private static async Task<double> PubSubCacheSizeAsync(TestPlatform platform)
    {
        var metrics = await platform.Http.GetStringAsync("/metrics");
        var series = metrics.Split('\n').Where(l => l.StartsWith("orleans_streams_persistent_stream_pubsub_cache_size", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(series);
        return series.Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }
}
