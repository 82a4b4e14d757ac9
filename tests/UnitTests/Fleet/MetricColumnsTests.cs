using DeviceTwins.Grains.Index;
using DeviceTwins.Grains.Interfaces.Models;
using static DeviceTwins.UnitTests.Fleet.FleetSamples;

namespace DeviceTwins.UnitTests.Fleet;

public sealed class MetricColumnsTests
{
    private static readonly Dictionary<string, DeviceSummary> Devices = new(StringComparer.Ordinal)
    {
        ["a"] = Device("a", metrics: [("t", 10), ("p", 1)]),
        ["b"] = Device("b", metrics: [("p", 2)]),
        ["c"] = Device("c", metrics: [("t", 30)]),
    };

    [Fact]
    public void Get_LaysTheValuesOutInIdOrder_NaNWhenMissing()
    {
        var columns = new MetricColumns();
        Assert.Equal([10, double.NaN, 30], columns.Get("t", ["a", "b", "c"], Devices));
        Assert.Equal([double.NaN, 2, 1], columns.Get("p", ["c", "b", "a"], Devices));
        Assert.Equal(2, columns.Count);
    }

    [Fact]
    public void Update_WritesEveryHeldColumn_AndClearDropsThem()
    {
        var columns = new MetricColumns();
        var t = columns.Get("t", ["a", "b", "c"], Devices);
        var p = columns.Get("p", ["a", "b", "c"], Devices);
        columns.Update(1, Device("b", version: 2, metrics: [("t", 20)]));
        Assert.Equal([10, 20, 30], t);
        Assert.Equal([1, double.NaN, double.NaN], p);
        columns.Clear();
        Assert.Equal(0, columns.Count);
        Assert.Equal([10, double.NaN, 30], columns.Get("t", ["a", "b", "c"], Devices));
    }

    [Fact]
    public void MayMatch_RefusesOnlyAValueEveryFilterCanJudge()
    {
        MetricFilter[] filters = [new("t", MetricOperator.GreaterThan, 15), new("p", MetricOperator.NotEqual, 1)];
        double[][] columns = [[10, 20, double.NaN, 20], [5, 1, 5, double.NaN]];
        Assert.False(MetricColumns.MayMatch(filters, columns, 0));
        Assert.False(MetricColumns.MayMatch(filters, columns, 1));
        // NaN: no value or a NaN value; the full matcher decides.
        Assert.True(MetricColumns.MayMatch(filters, columns, 2));
        Assert.True(MetricColumns.MayMatch(filters, columns, 3));
        Assert.True(MetricColumns.MayMatch([], [], 0));
    }
}
