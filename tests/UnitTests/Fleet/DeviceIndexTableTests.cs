using DeviceTwins.Grains.Index;
using DeviceTwins.Grains.Interfaces.Models;
using static DeviceTwins.UnitTests.Fleet.FleetSamples;

namespace DeviceTwins.UnitTests.Fleet;

public sealed class DeviceIndexTableTests
{
    private static DeviceIndexTable Table(params DeviceSummary[] devices)
    {
        var table = new DeviceIndexTable(new Dictionary<string, DeviceSummary>(StringComparer.Ordinal));
        foreach (var device in devices)
        {
            table.Upsert(device);
        }

        return table;
    }

    private static List<string> Ids(List<FleetDevice> page) => [.. page.Select(d => d.DeviceId)];

    [Fact]
    public void Query_ReturnsMatchesInOrdinalIdOrder_WithTheirStatus()
    {
        var table = Table(
            Device("m-2", metrics: [("t", 90)]),
            Device("m-10", metrics: [("t", 95)], activeAlerts: 1),
            Device("M-1", metrics: [("t", 99)], lastSeen: Now.AddHours(-1)),
            Device("m-3", metrics: [("t", 10)]));
        var page = table.Query(new DeviceQuery([], null, null, null, [new MetricFilter("t", MetricOperator.GreaterThan, 80)]), null, 10, Now, OfflineAfter);
        Assert.Equal(["M-1", "m-10", "m-2"], Ids(page));
        Assert.Equal([DeviceStatus.Offline, DeviceStatus.Alerting, DeviceStatus.Online], page.Select(d => d.Status));
    }

    [Fact]
    public void Query_StartsAfterTheCursor_AndStopsAtTheLimit()
    {
        var table = Table(Device("a"), Device("b"), Device("c"), Device("d"), Device("e"));
        Assert.Equal(["c", "d"], Ids(table.Query(DeviceQuery.All, "b", 2, Now, OfflineAfter)));
        // A cursor id the shard does not hold (another shard's device) starts at the next id above it.
        Assert.Equal(["c", "d", "e"], Ids(table.Query(DeviceQuery.All, "bb", 10, Now, OfflineAfter)));
        Assert.Empty(table.Query(DeviceQuery.All, "e", 10, Now, OfflineAfter));
        Assert.Empty(table.Query(DeviceQuery.All, null, 0, Now, OfflineAfter));
    }

    [Fact]
    public void Upsert_KeepsTheHigherVersion_AndTakesAnEqualOne()
    {
        var table = Table(Device("a", version: 5, metrics: [("t", 1)]));
        Assert.False(table.Upsert(Device("a", version: 4, metrics: [("t", 2)])));
        Assert.True(table.Upsert(Device("a", version: 5, metrics: [("t", 3)], activeAlerts: 1)));
        var only = Assert.Single(table.Query(DeviceQuery.All, null, 10, Now, OfflineAfter));
        Assert.Equal(3, only.Summary.Metrics["t"]);
        Assert.Equal(DeviceStatus.Alerting, only.Status);
        Assert.Equal(1, table.Count);
    }

    [Fact]
    public void DevicesAddedAfterAQuery_AppearInOrder()
    {
        var table = Table(Device("b"), Device("d"));
        Assert.Equal(["b", "d"], Ids(table.Query(DeviceQuery.All, null, 10, Now, OfflineAfter)));
        table.Upsert(Device("c"));
        table.Upsert(Device("a"));
        Assert.Equal(["a", "b", "c", "d"], Ids(table.Query(DeviceQuery.All, null, 10, Now, OfflineAfter)));
    }

    [Fact]
    public void RemoveWhere_DropsTheSelectedDevices()
    {
        var table = Table(Device("a"), Device("b"), Device("c"));
        Assert.Equal(["a", "b", "c"], Ids(table.Query(DeviceQuery.All, null, 10, Now, OfflineAfter)));
        Assert.Equal(2, table.RemoveWhere(id => id != "b"));
        Assert.Equal(["b"], Ids(table.Query(DeviceQuery.All, null, 10, Now, OfflineAfter)));
    }

    [Fact]
    public void StatusFilter_UsesTheQueryTime()
    {
        var table = Table(Device("a", lastSeen: Now.AddMinutes(-9)), Device("b", lastSeen: Now.AddMinutes(-11)));
        var offline = new DeviceQuery([], DeviceStatus.Offline, null, null, []);
        Assert.Equal(["b"], Ids(table.Query(offline, null, 10, Now, OfflineAfter)));
        Assert.Equal(["a", "b"], Ids(table.Query(offline, null, 10, Now.AddMinutes(2), OfflineAfter)));
    }
}
