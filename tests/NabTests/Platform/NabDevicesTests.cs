using System.Text.RegularExpressions;
using DeviceTwins.Nab.Platform;

namespace DeviceTwins.NabTests.Platform;

public sealed class NabDevicesTests
{
    [Theory]
    [InlineData("realAWSCloudwatch/iio_us-east-1_i-a2eb1cd9_NetworkIn.csv", null, "nab-realAWSCloudwatch:iio_us-east-1_i-a2eb1cd9_NetworkIn")]
    [InlineData("realTweets/Twitter_volume_AAPL.csv", "20261127", "nab-20261127-realTweets:Twitter_volume_AAPL")]
    [InlineData("my data/a b+c.csv", null, "nab-my_data:a_b_c")]
    public void DeviceId_SeriesKey_FollowsTheContractsIdRule(string key, string? run, string expected)
    {
        var id = NabDevices.DeviceId(key, run);

        Assert.Equal(expected, id);
        Assert.Matches(new Regex("^[A-Za-z0-9._:@-]{1,128}$"), id);
    }

    [Fact]
    public void DeviceId_TooLong_Throws()
    {
        Assert.Throws<ArgumentException>(() => NabDevices.DeviceId("c/" + new string('x', 130) + ".csv"));
    }

    [Fact]
    public void EventTime_NabTimestamp_IsUtc()
    {
        Assert.Equal(new DateTimeOffset(2014, 4, 1, 0, 5, 0, TimeSpan.Zero), NabDevices.EventTime(new DateTime(2014, 4, 1, 0, 5, 0)));
    }
}
