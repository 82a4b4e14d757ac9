using DeviceTwins.Analytics.Alerts;

namespace DeviceTwins.UnitTests.Analytics.Alerts;

public sealed class AlertIdsTests
{
    private static readonly DateTimeOffset RaisedAt = new(2026, 1, 1, 0, 0, 30, TimeSpan.Zero);
    private static readonly AlertSubject Subject = new("dev-1", "overheat", "threshold", "temperature", AlertSeverity.Critical);

    [Fact]
    public void Of_SameInput_IsTheSame32LowerHexDigits()
    {
        var id = AlertIds.Of(Subject, 1, RaisedAt);

        Assert.Equal(id, AlertIds.Of(Subject with { }, 1, RaisedAt));
        Assert.Equal(32, id.Length);
        Assert.Matches("^[0-9a-f]{32}$", id);
    }

    [Fact]
    public void Of_SameInstantInAnotherOffset_IsTheSame()
    {
        Assert.Equal(AlertIds.Of(Subject, 1, RaisedAt), AlertIds.Of(Subject, 1, RaisedAt.ToOffset(TimeSpan.FromHours(2))));
    }

    [Fact]
    public void Of_AnyPartChanged_Differs()
    {
        var ids = new[]
        {
            AlertIds.Of(Subject, 1, RaisedAt),
            AlertIds.Of(Subject, 2, RaisedAt),
            AlertIds.Of(Subject, 1, RaisedAt.AddMilliseconds(1)),
            AlertIds.Of(Subject with { DeviceId = "dev-2" }, 1, RaisedAt),
            AlertIds.Of(Subject with { Rule = "overheat2" }, 1, RaisedAt),
            AlertIds.Of(Subject with { Metric = "humidity" }, 1, RaisedAt),
            AlertIds.Of(Subject with { Metric = null }, 1, RaisedAt),
        };

        Assert.Equal(ids.Length, ids.Distinct(StringComparer.Ordinal).Count());
    }
}
