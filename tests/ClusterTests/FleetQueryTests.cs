using System.Globalization;
using DeviceTwins.Api.Apis;
using DeviceTwins.Grains.Interfaces;
using DeviceTwins.Grains.Interfaces.Models;
using DeviceTwins.Testing;

namespace DeviceTwins.ClusterTests;

/// <summary>Fleet queries through Kafka, the twins and the write-behind device index: exact matches, paged across shards.</summary>
[Collection(KafkaClusterCollection.Name)]
public sealed class FleetQueryTests(KafkaClusterFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static readonly int Shards = new DeviceIndexOptions().Shards;

    [Fact]
    public async Task FleetQuery_ReturnsExactlyTheMatchingDevices_AcrossPagesAndShards()
    {
        var prefix = "fleet-" + Guid.NewGuid().ToString("N")[..8] + "-";
        var site = "site-" + prefix;
        var now = fixture.Clock.GetUtcNow();
        // id suffix, tags, temperature, load (null: none), event time offset
        (string Id, Dictionary<string, string> Tags, double Temperature, double? Load, TimeSpan Age)[] fleet =
        [
            ("01", new() { ["site"] = site }, 85, 20, TimeSpan.Zero),
            ("02", new() { ["site"] = site }, 95, 96, TimeSpan.Zero),
            ("03", new() { ["site"] = site }, 70, null, TimeSpan.Zero),
            ("04", new() { ["site"] = site + "-other" }, 90, null, TimeSpan.Zero),
            ("05", new() { ["site"] = site, ["model"] = "x" }, 81, null, TimeSpan.Zero),
            ("06", new(), 99, null, TimeSpan.Zero),
            ("07", new() { ["site"] = site }, 88, null, TimeSpan.FromMinutes(20)),
        ];
        foreach (var device in fleet)
        {
            await fixture.ProduceAsync("iot.telemetry", prefix + device.Id, Telemetry(prefix + device.Id, now - device.Age, device.Temperature, device.Load));
        }

        foreach (var device in fleet)
        {
            var grain = fixture.Grains.GetGrain<IDeviceTwinGrain>(prefix + device.Id);
            await Eventually.Until(grain.GetSnapshotAsync, t => t?.MessageCount == 1, Timeout, $"{device.Id} applied");
            if (device.Tags.Count > 0)
            {
                await grain.SetTagsAsync(device.Tags);
            }
        }

        var hot = Query(tags: [new("site", site)], metrics: [new("temperature", MetricOperator.GreaterThan, 80)]);
        // The index is written behind: each probe moves the twins' clock by one flush interval, which sends the batches.
        var pages = await Eventually.Until(
            async () =>
            {
                fixture.Clock.Advance(TimeSpan.FromSeconds(1));
                return await WalkAsync(hot, 3);
            },
            p => p.SelectMany(x => x).Count() == 4,
            Timeout,
            p => string.Join(" | ", p.Select(x => string.Join(",", x))));

        Assert.Equal([[prefix + "01", prefix + "02", prefix + "05"], [prefix + "07"]], pages);
        Assert.Equal([prefix + "02"], (await WalkAsync(Query(tags: [new("site", site)], status: DeviceStatus.Alerting), 100)).Single());
        Assert.Equal([prefix + "07"], (await WalkAsync(Query(tags: [new("site", site)], status: DeviceStatus.Offline), 100)).Single());
        Assert.Equal([prefix + "01", prefix + "03", prefix + "05"], (await WalkAsync(Query(tags: [new("site", site)], status: DeviceStatus.Online), 100)).Single());
        Assert.Equal([prefix + "05"], (await WalkAsync(Query(tags: [new("site", site), new("model", "x")], metrics: [new("temperature", MetricOperator.GreaterThanOrEqual, 81)]), 100)).Single());
        Assert.Equal([prefix + "02"], (await WalkAsync(Query(tags: [new("site", site)], metrics: [new("load", MetricOperator.GreaterThan, 90), new("temperature", MetricOperator.NotEqual, 0)]), 100)).Single());
        Assert.Equal([prefix + "07"], (await WalkAsync(Query(tags: [new("site", site)], before: fixture.Clock.GetUtcNow().AddMinutes(-10)), 100)).Single());
        var sixAndFour = await WalkAsync(Query(metrics: [new("temperature", MetricOperator.GreaterThanOrEqual, 90)]), 1, prefix);
        Assert.Equal([[prefix + "02"], [prefix + "04"], [prefix + "06"]], sixAndFour);

        // Each page says how fresh the index is: the oldest cutoff of the reporters, not after the clock.
        var (_, _, asOf) = await FleetIndexQuery.RunAsync(fixture.Grains, Shards, hot, null, 10);
        Assert.NotNull(asOf);
        Assert.True(asOf <= fixture.Clock.GetUtcNow());

        // The summary carries what the query needs.
        var (found, _, _) = await FleetIndexQuery.RunAsync(fixture.Grains, Shards, Query(tags: [new("site", site), new("model", "x")]), null, 10);
        var five = Assert.Single(found).Summary;
        Assert.Equal(81, five.Metrics["temperature"]);
        Assert.Equal(now, five.LastSeen);
        Assert.Equal(2, five.Version);
    }

    [Fact]
    public async Task ReporterFallsSilent_ShardTakesTheStoredSummaries_ItNeverSent()
    {
        var prefix = "lost-" + Guid.NewGuid().ToString("N")[..8] + "-";
        var shard = DeviceIndexShards.Of(prefix + "a", Shards);
        var sent = new DeviceSummary(prefix + "a", 1, fixture.Clock.GetUtcNow(), new Dictionary<string, string>(), new Dictionary<string, double>(), 0, false);
        var index = fixture.Grains.GetGrain<IDeviceIndexGrain>(shard);
        await index.QueryAsync(Query(), null, 1);

        // A reporter sends one device, then its silo dies holding a newer summary of it and another device, both stored with their twins.
        await index.UpdateAsync(new DeviceIndexBatch("reporter-that-dies", fixture.Clock.GetUtcNow(), [sent]));
        var newer = sent with { Version = 2, Metrics = new Dictionary<string, double> { ["load"] = 7 } };
        var sameShard = Enumerable.Range(0, 1000).Select(i => prefix + "b" + i).First(id => DeviceIndexShards.Of(id, Shards) == shard);
        var unsent = sent with { DeviceId = sameShard, Version = 4 };
        fixture.Summaries.Set(shard, newer, unsent);
        Assert.Equal([[prefix + "a"]], await WalkAsync(Query(), 10, prefix));

        // Past the expiry on the twins' clock, the shard's next check (every 5 flush intervals) reads the store.
        fixture.Clock.Advance(TimeSpan.FromSeconds(30));
        var devices = await Eventually.Until(
            async () => (await index.QueryAsync(Query(), prefix, 10)).Items.Where(d => d.DeviceId.StartsWith(prefix, StringComparison.Ordinal)).ToList(),
            list => list.Any(d => d.Summary.Version == 2),
            Timeout,
            list => $"the stored summaries taken; {string.Join(", ", list.Select(d => $"{d.DeviceId} v{d.Summary.Version}"))}");
        Assert.Equal(7, devices.Single(d => d.DeviceId == prefix + "a").Summary.Metrics["load"]);
        Assert.Contains(devices, d => d.DeviceId == sameShard && d.Summary.Version == 4);
    }

    private static DeviceQuery Query(TagFilter[]? tags = null, DeviceStatus? status = null, DateTimeOffset? before = null, MetricFilter[]? metrics = null) =>
        new(tags ?? [], status, null, before, metrics ?? []);

    // Every page of the query (pages of `limit`), restricted to ids starting with `prefix` when given.
    private async Task<List<List<string>>> WalkAsync(DeviceQuery query, int limit, string? prefix = null)
    {
        var pages = new List<List<string>>();
        string? after = prefix;
        do
        {
            var (page, next, _) = await FleetIndexQuery.RunAsync(fixture.Grains, Shards, query, after, limit);
            var ids = page.Select(d => d.DeviceId).Where(id => prefix is null || id.StartsWith(prefix, StringComparison.Ordinal)).ToList();
            if (ids.Count > 0)
            {
                pages.Add(ids);
            }

            after = prefix is not null && page.Count > 0 && !page[^1].DeviceId.StartsWith(prefix, StringComparison.Ordinal) ? null : next;
        }
        while (after is not null);

        return pages;
    }

    private static string Telemetry(string device, DateTimeOffset ts, double temperature, double? load) => load is { } l
        ? string.Create(CultureInfo.InvariantCulture, $$$"""{"deviceId":"{{{device}}}","ts":"{{{ts:O}}}","metrics":{"temperature":{{{temperature}}},"load":{{{l}}}}}""")
        : string.Create(CultureInfo.InvariantCulture, $$$"""{"deviceId":"{{{device}}}","ts":"{{{ts:O}}}","metrics":{"temperature":{{{temperature}}}}}""");
}
