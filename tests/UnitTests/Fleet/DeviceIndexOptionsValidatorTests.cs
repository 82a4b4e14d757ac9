using DeviceTwins.Api.Configuration;
using DeviceTwins.Grains.Interfaces;

namespace DeviceTwins.UnitTests.Fleet;

public sealed class DeviceIndexOptionsValidatorTests
{
    [Fact]
    public void Defaults_AreValid() => Assert.True(new DeviceIndexOptionsValidator().Validate(null, new DeviceIndexOptions()).Succeeded);

    [Fact]
    public void BadValues_NameTheirKeys()
    {
        var result = new DeviceIndexOptionsValidator().Validate(null, new DeviceIndexOptions
        {
            Shards = 0,
            FlushInterval = TimeSpan.Zero,
            PersistInterval = TimeSpan.FromHours(2),
            OfflineAfter = TimeSpan.FromMilliseconds(1),
        });
        Assert.Equal(
            [
                "DeviceIndex:Shards must be between 1 and 4096.",
                "DeviceIndex:FlushInterval must be between 00:00:00.010 and 00:01:00.",
                "DeviceIndex:PersistInterval must be between 00:00:00.100 and 01:00:00.",
                "DeviceIndex:OfflineAfter must be between 00:00:01 and 365.00:00:00.",
            ],
            result.Failures);
    }

    [Fact]
    public void Shards_AreStable_AndSpread()
    {
        Assert.Equal(DeviceIndexShards.Of("pump-17", 64), DeviceIndexShards.Of("pump-17", 64));
        var counts = Enumerable.Range(0, 64_000).GroupBy(i => DeviceIndexShards.Of($"dev-{i:D6}", 64)).Select(g => g.Count()).ToList();
        Assert.Equal(64, counts.Count);
        Assert.InRange(counts.Min(), 700, 1000);
        Assert.InRange(counts.Max(), 1000, 1300);
    }
}
