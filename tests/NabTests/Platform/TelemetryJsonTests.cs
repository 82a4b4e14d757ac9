using System.Text;
using System.Text.Json;
using DeviceTwins.Nab.Platform;

namespace DeviceTwins.NabTests.Platform;

public sealed class TelemetryJsonTests
{
    [Fact]
    public void Record_NabRow_IsTheContractsJson()
    {
        var json = TelemetryJson.Record("nab-r1-realTweets:Twitter_volume_AAPL", NabDevices.EventTime(new DateTime(2015, 2, 26, 21, 42, 53)), 104);

        Assert.Equal("""{"deviceId":"nab-r1-realTweets:Twitter_volume_AAPL","ts":"2015-02-26T21:42:53Z","metrics":{"value":104}}""", Encoding.UTF8.GetString(json));
    }

    [Theory]
    [InlineData(0.134267515924)]
    [InlineData(-1.5e-300)]
    [InlineData(4.2e12)]
    public void Record_Value_ReadsBackExactly(double value)
    {
        var json = TelemetryJson.Record("d", DateTimeOffset.UnixEpoch, value);

        using var document = JsonDocument.Parse(json);
        Assert.Equal(value, document.RootElement.GetProperty("metrics").GetProperty("value").GetDouble());
    }

    [Fact]
    public void Record_NotFinite_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TelemetryJson.Record("d", DateTimeOffset.UnixEpoch, double.NaN));
    }
}
