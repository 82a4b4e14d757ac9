using System.Text;
using System.Text.Json;
using DeviceTwins.Nab.Data;
using DeviceTwins.Nab.Platform;
using DeviceTwins.Nab.Scoring;

namespace DeviceTwins.NabTests.Platform;

public sealed class AlertRecordTests
{
    // As the platform writes it (src/Silo/Analytics/AnalyticsJson.cs).
    private const string Raise = """
        {"id":"6f1c","deviceId":"nab-r1-realTraffic:speed_7578","rule":"anomaly","detector":"zscore","metric":"value","severity":"warning",
         "state":"raised","value":12.5,"eventTime":"2011-07-01T10:05:00+00:00","raisedAt":"2011-07-01T10:05:00+00:00","acknowledgedAt":null,
         "clearedAt":null,"window":null,"reason":"value 12.5 broke out","flapping":false}
        """;

    [Fact]
    public void Parse_PlatformRaise_ReadsWhatTheReplayNeeds()
    {
        var alert = AlertRecord.Parse(Encoding.UTF8.GetBytes(Raise));

        Assert.Equal(new AlertRecord("nab-r1-realTraffic:speed_7578", "anomaly", "value", "raised", new DateTimeOffset(2011, 7, 1, 10, 5, 0, TimeSpan.Zero), 12.5), alert);
        Assert.True(alert.IsMetricRaise);
    }

    [Fact]
    public void IsMetricRaise_ClearsAndHeartbeats_AreNotDetections()
    {
        var cleared = AlertRecord.Parse(Encoding.UTF8.GetBytes(Raise.Replace("\"raised\"", "\"cleared\"", StringComparison.Ordinal)));
        var offline = AlertRecord.Parse(Encoding.UTF8.GetBytes(Raise.Replace("\"metric\":\"value\"", "\"metric\":null", StringComparison.Ordinal)));

        Assert.False(cleared.IsMetricRaise);
        Assert.Null(offline.Metric);
        Assert.False(offline.IsMetricRaise);
    }

    [Fact]
    public void Parse_NotAnAlert_ThrowsJsonException()
    {
        Assert.ThrowsAny<JsonException>(() => AlertRecord.Parse("""{"deviceId":"d"}"""u8));
    }

    [Fact]
    public void RowOf_SharedTimestamp_PicksTheRecordWithTheAlertsValue()
    {
        var t = new DateTime(2014, 3, 9, 3, 0, 0);
        var series = new NabSeries("realAWSCloudwatch/x.csv", [t.AddMinutes(-5), t, t, t.AddMinutes(5)], [1.0, 2.0, 3.0, 4.0], [], Array.Empty<WindowSpan>());

        Assert.Equal(2, PipelineReplay.RowOf(series, Alert(t, 3.0)));
        Assert.Equal(1, PipelineReplay.RowOf(series, Alert(t, 9.0)));
        Assert.Equal(3, PipelineReplay.RowOf(series, Alert(t.AddMinutes(5), 4.0)));
        Assert.Throws<PipelineException>(() => PipelineReplay.RowOf(series, Alert(t.AddMinutes(1), 4.0)));
    }

    private static AlertRecord Alert(DateTime at, double value) => new("d", "anomaly", "value", AlertRecord.Raised, NabDevices.EventTime(at), value);
}
