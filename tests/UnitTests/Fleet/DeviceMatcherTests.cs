using DeviceTwins.Grains.Interfaces.Fleet;
using DeviceTwins.Grains.Interfaces.Models;
using static DeviceTwins.UnitTests.Fleet.FleetSamples;

namespace DeviceTwins.UnitTests.Fleet;

public sealed class DeviceMatcherTests
{
    private static readonly DeviceSummary Pump = Device(
        "pump-1",
        lastSeen: Now.AddMinutes(-2),
        tags: [("site", "plant-a"), ("model", "x1")],
        metrics: [("temperature", 80), ("pressure", 1.5)]);

    private static DeviceQuery Query(
        TagFilter[]? tags = null, DeviceStatus? status = null, DateTimeOffset? after = null, DateTimeOffset? before = null, MetricFilter[]? metrics = null) =>
        new(tags ?? [], status, after, before, metrics ?? []);

    [Fact]
    public void EmptyQuery_MatchesEveryDevice() => Assert.True(DeviceMatcher.Matches(DeviceQuery.All, Pump, DeviceStatus.Offline));

    [Theory]
    [InlineData("site", "plant-a", true)]
    [InlineData("site", "plant-b", false)]
    [InlineData("site", "Plant-A", false)]
    [InlineData("zone", "plant-a", false)]
    [InlineData("model", "x1", true)]
    public void TagFilter_NeedsTheExactValue(string key, string value, bool expected) =>
        Assert.Equal(expected, DeviceMatcher.Matches(Query(tags: [new TagFilter(key, value)]), Pump, DeviceStatus.Online));

    [Fact]
    public void TagFilters_AllMustHold()
    {
        Assert.True(DeviceMatcher.Matches(Query(tags: [new("site", "plant-a"), new("model", "x1")]), Pump, DeviceStatus.Online));
        Assert.False(DeviceMatcher.Matches(Query(tags: [new("site", "plant-a"), new("model", "x2")]), Pump, DeviceStatus.Online));
    }

    [Theory]
    [InlineData(MetricOperator.GreaterThan, 79.9, true)]
    [InlineData(MetricOperator.GreaterThan, 80, false)]
    [InlineData(MetricOperator.GreaterThanOrEqual, 80, true)]
    [InlineData(MetricOperator.GreaterThanOrEqual, 80.1, false)]
    [InlineData(MetricOperator.LessThan, 80.1, true)]
    [InlineData(MetricOperator.LessThan, 80, false)]
    [InlineData(MetricOperator.LessThanOrEqual, 80, true)]
    [InlineData(MetricOperator.LessThanOrEqual, 79.9, false)]
    [InlineData(MetricOperator.Equal, 80, true)]
    [InlineData(MetricOperator.Equal, 80.5, false)]
    [InlineData(MetricOperator.NotEqual, 80.5, true)]
    [InlineData(MetricOperator.NotEqual, 80, false)]
    public void MetricFilter_ComparesTheLatestValue(MetricOperator op, double value, bool expected) =>
        Assert.Equal(expected, DeviceMatcher.Matches(Query(metrics: [new MetricFilter("temperature", op, value)]), Pump, DeviceStatus.Online));

    [Theory]
    [InlineData(MetricOperator.NotEqual)]
    [InlineData(MetricOperator.LessThan)]
    public void MetricFilter_OnAMetricTheDeviceNeverSent_MatchesNothing(MetricOperator op) =>
        Assert.False(DeviceMatcher.Matches(Query(metrics: [new MetricFilter("humidity", op, 50)]), Pump, DeviceStatus.Online));

    [Fact]
    public void MetricFilters_AllMustHold()
    {
        Assert.True(DeviceMatcher.Matches(Query(metrics: [new("temperature", MetricOperator.GreaterThan, 70), new("pressure", MetricOperator.LessThan, 2)]), Pump, DeviceStatus.Online));
        Assert.False(DeviceMatcher.Matches(Query(metrics: [new("temperature", MetricOperator.GreaterThan, 70), new("pressure", MetricOperator.LessThan, 1)]), Pump, DeviceStatus.Online));
    }

    [Theory]
    [InlineData(DeviceStatus.Online, DeviceStatus.Online, true)]
    [InlineData(DeviceStatus.Online, DeviceStatus.Alerting, false)]
    [InlineData(DeviceStatus.Offline, DeviceStatus.Offline, true)]
    [InlineData(DeviceStatus.Alerting, DeviceStatus.Offline, false)]
    public void StatusFilter_ComparesTheGivenStatus(DeviceStatus wanted, DeviceStatus actual, bool expected) =>
        Assert.Equal(expected, DeviceMatcher.Matches(Query(status: wanted), Pump, actual));

    [Fact]
    public void LastSeenBounds_AreExclusive()
    {
        var seen = Pump.LastSeen;
        Assert.True(DeviceMatcher.Matches(Query(after: seen.AddTicks(-1)), Pump, DeviceStatus.Online));
        Assert.False(DeviceMatcher.Matches(Query(after: seen), Pump, DeviceStatus.Online));
        Assert.True(DeviceMatcher.Matches(Query(before: seen.AddTicks(1)), Pump, DeviceStatus.Online));
        Assert.False(DeviceMatcher.Matches(Query(before: seen), Pump, DeviceStatus.Online));
        Assert.True(DeviceMatcher.Matches(Query(after: seen.AddMinutes(-1), before: seen.AddMinutes(1)), Pump, DeviceStatus.Online));
    }

    [Fact]
    public void EveryKindOfFilter_Combines()
    {
        var query = Query([new("site", "plant-a")], DeviceStatus.Online, Now.AddHours(-1), Now, [new("temperature", MetricOperator.GreaterThanOrEqual, 80)]);
        Assert.True(DeviceMatcher.Matches(query, Pump, DeviceStatus.Online));
        Assert.False(DeviceMatcher.Matches(query, Pump, DeviceStatus.Alerting));
    }
}
