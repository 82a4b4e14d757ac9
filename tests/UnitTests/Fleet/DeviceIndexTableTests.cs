using DeviceTwins.Grains.Index;
using DeviceTwins.Grains.Interfaces.Fleet;
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
    public void Count_ByStatus_AndConfinedToATenant()
    {
        var table = Table(
            Device("a", tags: [("tenant", "acme")]),
            Device("b", tags: [("tenant", "acme")], activeAlerts: 2),
            Device("c", tags: [("tenant", "acme")], lastSeen: Now.AddHours(-1), activeAlerts: 1),
            Device("d", tags: [("tenant", "globex")], offlineAlert: true, activeAlerts: 1),
            Device("e"));
        Assert.Equal(new FleetCounts(5, 2, 2, 1, 4, null), table.CountByStatus(null, Now, OfflineAfter));
        Assert.Equal(new FleetCounts(3, 1, 1, 1, 3, null), table.CountByStatus("acme", Now, OfflineAfter));
        Assert.Equal(FleetCounts.None, table.CountByStatus("initech", Now, OfflineAfter));
    }

    [Fact]
    public void FleetCounts_Add_SumsAndKeepsTheStalestAsOf()
    {
        var early = new FleetCounts(1, 1, 0, 0, 0, Now.AddSeconds(-5));
        var late = new FleetCounts(2, 0, 1, 1, 3, Now);
        Assert.Equal(new FleetCounts(3, 1, 1, 1, 3, Now.AddSeconds(-5)), early.Add(late));
        Assert.Equal(late, FleetCounts.None.Add(late));
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

    [Fact]
    public void TagSets_FollowInsertTagChangeAndRemoval()
    {
        var table = Table(
            Device("a", tags: [("site", "s1"), ("model", "m1")]),
            Device("b", tags: [("site", "s1")]),
            Device("c", tags: [("site", "s2")]));
        Assert.Equal(["a", "b"], table.DevicesTagged("site", "s1"));
        Assert.Equal(["c"], table.DevicesTagged("site", "s2"));
        Assert.Equal(["a"], table.DevicesTagged("model", "m1"));
        Assert.Equal(3, table.TagValueCount);

        // a moves to s2 and loses its model; c gains one.
        Assert.True(table.Upsert(Device("a", version: 2, tags: [("site", "s2")])));
        Assert.True(table.Upsert(Device("c", version: 2, tags: [("site", "s2"), ("model", "m2")])));
        Assert.Equal(["b"], table.DevicesTagged("site", "s1"));
        Assert.Equal(["a", "c"], table.DevicesTagged("site", "s2"));
        Assert.Empty(table.DevicesTagged("model", "m1"));
        Assert.Equal(["c"], table.DevicesTagged("model", "m2"));
        Assert.Equal(3, table.TagValueCount);

        Assert.Equal(1, table.RemoveWhere(id => id == "b"));
        Assert.Empty(table.DevicesTagged("site", "s1"));
        Assert.Equal(2, table.TagValueCount);
    }

    [Fact]
    public void TagSets_IgnoreARefusedOlderVersion()
    {
        var table = Table(Device("a", version: 5, tags: [("site", "s1")], activeAlerts: 1));
        Assert.False(table.Upsert(Device("a", version: 4, tags: [("site", "s2")])));
        Assert.Equal(["a"], table.DevicesTagged("site", "s1"));
        Assert.Empty(table.DevicesTagged("site", "s2"));
        Assert.Equal(["a"], table.AlertingCandidates());
    }

    [Fact]
    public void AlertingSet_HoldsActiveAlertsWithoutAnOfflineAlert()
    {
        var table = Table(
            Device("a", activeAlerts: 1),
            Device("b", activeAlerts: 2, offlineAlert: true),
            Device("c"),
            Device("d", activeAlerts: 1, lastSeen: Now.AddHours(-1)));
        Assert.Equal(["a", "d"], table.AlertingCandidates());
        table.Upsert(Device("a", version: 2));
        table.Upsert(Device("b", version: 2, activeAlerts: 1));
        table.Upsert(Device("c", version: 2, activeAlerts: 1, offlineAlert: true));
        Assert.Equal(["b", "d"], table.AlertingCandidates());
        // d is in the set but too old: offline, not alerting.
        var alerting = new DeviceQuery([], DeviceStatus.Alerting, null, null, []);
        Assert.Equal(["b"], Ids(table.Query(alerting, null, 10, Now, OfflineAfter)));
        table.RemoveWhere(id => id == "b");
        Assert.Equal(["d"], table.AlertingCandidates());
    }

    [Fact]
    public void SecondaryIndexes_AreRebuiltFromThePersistedSummaries()
    {
        var persisted = new Dictionary<string, DeviceSummary>(StringComparer.Ordinal)
        {
            ["b"] = Device("b", tags: [("site", "s1")], activeAlerts: 1),
            ["a"] = Device("a", tags: [("site", "s1")]),
        };
        var table = new DeviceIndexTable(persisted);
        Assert.Equal(["a", "b"], table.DevicesTagged("site", "s1"));
        Assert.Equal(["b"], table.AlertingCandidates());
        var site = new DeviceQuery([new TagFilter("site", "s1")], null, null, null, []);
        Assert.Equal(["b"], Ids(table.Query(site, "a", 10, Now, OfflineAfter)));
    }

    [Fact]
    public void TagQuery_OnAValueNoDeviceHolds_IsEmpty()
    {
        var table = Table(Device("a", tags: [("site", "s1")]));
        Assert.Empty(table.Query(new DeviceQuery([new TagFilter("site", "s9")], null, null, null, []), null, 10, Now, OfflineAfter));
        Assert.Empty(table.Query(new DeviceQuery([new TagFilter("site", "s1"), new TagFilter("model", "m1")], null, null, null, []), null, 10, Now, OfflineAfter));
    }

    [Fact]
    public void MetricQuery_SeesUpdatesAndNewDevices_AfterItsColumnWasBuilt()
    {
        var table = Table(Device("a", metrics: [("t", 90)]), Device("b", metrics: [("t", 10)]), Device("c"));
        var hot = new DeviceQuery([], null, null, null, [new MetricFilter("t", MetricOperator.GreaterThan, 80)]);
        Assert.Equal(["a"], Ids(table.Query(hot, null, 10, Now, OfflineAfter)));
        table.Upsert(Device("a", version: 2, metrics: [("t", 50)]));
        table.Upsert(Device("b", version: 2, metrics: [("t", 85)]));
        table.Upsert(Device("c", version: 2, metrics: [("t", 99)]));
        Assert.Equal(["b", "c"], Ids(table.Query(hot, null, 10, Now, OfflineAfter)));
        table.Upsert(Device("bb", metrics: [("t", 81)]));
        table.Upsert(Device("c", version: 3));
        Assert.Equal(["b", "bb"], Ids(table.Query(hot, null, 10, Now, OfflineAfter)));
        Assert.Equal(["bb"], Ids(table.Query(hot, "b", 10, Now, OfflineAfter)));
        // A device without the metric matches no comparison on it, not even !=.
        var notFifty = new DeviceQuery([], null, null, null, [new MetricFilter("t", MetricOperator.NotEqual, 50)]);
        Assert.Equal(["b", "bb"], Ids(table.Query(notFifty, null, 10, Now, OfflineAfter)));
    }

    [Fact]
    public void Query_OnRandomizedFleetAndChanges_EqualsABruteForceScan()
    {
        var random = new Random(20261127);
        var table = Table();
        var truth = new Dictionary<string, DeviceSummary>(StringComparer.Ordinal);
        var ids = Enumerable.Range(0, 400).Select(i => $"d-{random.Next(0, 100_000):x5}-{i:D3}").ToArray();
        for (var round = 0; round < 6; round++)
        {
            // Inserts, tag changes, alert changes, refused older versions and removals, then every query checked.
            // Odd rounds only update held devices, so the id order stays and the metric columns are updated in place.
            foreach (var id in ids.Where(id => random.Next(3) > 0 && (round % 2 == 0 || truth.ContainsKey(id))))
            {
                var version = truth.TryGetValue(id, out var known) ? known.Version + random.Next(-1, 3) : 1;
                var tags = new List<(string, string)>();
                if (random.Next(10) > 0)
                {
                    tags.Add(("site", "s" + random.Next(6)));
                }

                if (random.Next(2) == 0)
                {
                    tags.Add(("model", "m" + random.Next(3)));
                }

                if (random.Next(4) > 0)
                {
                    tags.Add(("tenant", "t" + random.Next(3)));
                }

                var device = Device(
                    id,
                    version,
                    Now.AddMinutes(-random.Next(0, 20)),
                    [.. tags],
                    RandomMetrics(random),
                    random.Next(4) == 0 ? random.Next(1, 3) : 0,
                    random.Next(8) == 0);
                var stored = table.Upsert(device);
                Assert.Equal(known is null || known.Version <= version, stored);
                if (stored)
                {
                    truth[id] = device;
                }
            }

            var gone = ids.Where(_ => round % 2 == 0 && random.Next(20) == 0).ToHashSet(StringComparer.Ordinal);
            Assert.Equal(truth.Keys.Count(gone.Contains), table.RemoveWhere(gone.Contains));
            foreach (var id in gone)
            {
                truth.Remove(id);
            }

            foreach (var query in RandomQueries(random))
            {
                string? cursor = null;
                foreach (var limit in new[] { 1, 7, 1000 })
                {
                    var expected = truth.Values
                        .OrderBy(d => d.DeviceId, StringComparer.Ordinal)
                        .Where(d => cursor is null || string.CompareOrdinal(d.DeviceId, cursor) > 0)
                        .Select(d => new FleetDevice(d, DeviceStatuses.Of(d, Now, OfflineAfter)))
                        .Where(d => DeviceMatcher.Matches(query, d.Summary, d.Status))
                        .Take(limit)
                        .ToList();
                    var actual = table.Query(query, cursor, limit, Now, OfflineAfter);
                    Assert.Equal(expected, actual);
                    cursor = actual.Count > 0 ? actual[^1].DeviceId : ids[random.Next(ids.Length)];
                }
            }
        }
    }

    private static IEnumerable<DeviceQuery> RandomQueries(Random random)
    {
        yield return DeviceQuery.All;
        foreach (var status in Enum.GetValues<DeviceStatus>())
        {
            yield return new DeviceQuery([], status, null, null, []);
        }

        for (var i = 0; i < 30; i++)
        {
            var tags = new List<TagFilter>();
            if (random.Next(3) > 0)
            {
                tags.Add(new TagFilter("site", "s" + random.Next(7)));
            }

            if (random.Next(3) == 0)
            {
                tags.Add(new TagFilter("model", "m" + random.Next(4)));
            }

            DeviceStatus? status = random.Next(2) == 0 ? (DeviceStatus)random.Next(3) : null;
            var metrics = new List<MetricFilter>();
            for (var m = random.Next(3); m > 0; m--)
            {
                metrics.Add(new MetricFilter(random.Next(2) == 0 ? "t" : "p", (MetricOperator)random.Next(6), random.Next(100)));
            }

            // Most queries of one tenant (t3 holds no device), some of every tenant.
            var tenant = random.Next(4) switch { 0 => null, var n => "t" + random.Next(4) };
            yield return new DeviceQuery(tags, status, null, null, metrics, tenant);
        }
    }

    // t on most devices, p on half; a few NaN values, which only != accepts.
    private static (string, double)[] RandomMetrics(Random random)
    {
        var metrics = new List<(string, double)>();
        if (random.Next(10) > 0)
        {
            metrics.Add(("t", random.Next(12) == 0 ? double.NaN : random.Next(0, 100)));
        }

        if (random.Next(2) == 0)
        {
            metrics.Add(("p", random.Next(0, 100)));
        }

        return [.. metrics];
    }

    [Fact]
    public void Query_OfATenant_HoldsThatTenantsDevicesAlone_EvenWithMetricFilters()
    {
        var devices = Enumerable.Range(0, 40).Select(i => Device($"d-{i:D2}", tags: [("tenant", i < 36 ? "big" : "small")], metrics: [("t", i)])).ToArray();
        var table = Table([.. devices, Device("none", metrics: [("t", 99)])]);
        var hot = new DeviceQuery([], null, null, null, [new MetricFilter("t", MetricOperator.GreaterThanOrEqual, 30)]);
        Assert.Equal(["d-36", "d-37", "d-38", "d-39"], Ids(table.Query(hot with { Tenant = "small" }, null, 10, Now, OfflineAfter)));
        Assert.Equal(["d-30", "d-31", "d-32", "d-33", "d-34", "d-35"], Ids(table.Query(hot with { Tenant = "big" }, null, 10, Now, OfflineAfter)));
        Assert.Empty(table.Query(hot with { Tenant = "other" }, null, 10, Now, OfflineAfter));
        Assert.Equal(11, table.Query(hot, null, 20, Now, OfflineAfter).Count);
    }
}
