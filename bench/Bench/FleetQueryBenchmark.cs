using System.Diagnostics;
using System.Globalization;
using DeviceTwins.Api.Apis;
using DeviceTwins.Api.Configuration;
using DeviceTwins.Grains;
using DeviceTwins.Grains.Index;
using DeviceTwins.Grains.Interfaces;
using DeviceTwins.Grains.Interfaces.Fleet;
using DeviceTwins.Grains.Interfaces.Models;
using DeviceTwins.Silo.Extensions;
using DeviceTwins.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DeviceTwins.Bench;

/// <summary>
/// Fleet query latency: loads device summaries into the index shards of a real in-process silo (in-memory storage,
/// through the shards' own UpdateAsync, as reporters send them) and times queries through the same fan-out and merge as
/// GET /api/devices, beside a linear scan of the same summaries in one in-memory list (same matcher) in the same run.
/// </summary>
internal static class FleetQueryBenchmark
{
    private const int Sites = 20;
    private const int Models = 5;

    public static async Task<int> RunAsync(string[] args)
    {
        var devices = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
        var iterations = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 300;
        var options = new DeviceIndexOptions();
        var now = DateTimeOffset.UtcNow;

        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var fleet = Generate(devices, now);
        var heapSummaries = GC.GetTotalMemory(forceFullCollection: true);

        using var host = Host.CreateDefaultBuilder()
            .ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning))
            .UseOrleans(silo => silo
                .UseLocalhostClustering(TestHost.FreePort(), TestHost.FreePort())
                .AddDeviceTwinsStorage(new RedisOptions())
                .ConfigureServices(services =>
                {
                    services.AddKeyedSingleton(TwinClock.Key, TimeProvider.System);
                    services.AddOptions<DeviceIndexOptions>();
                    // The shards read stored summaries back on activation: none here, the benchmark loads them itself.
                    services.AddSingleton<IDeviceSummaryStore, NoDeviceSummaryStore>();
                }))
            .Build();
        await host.StartAsync();
        var grains = host.Services.GetRequiredService<IGrainFactory>();

        var load = Stopwatch.StartNew();
        foreach (var shard in fleet.GroupBy(d => DeviceIndexShards.Of(d.DeviceId, options.Shards)))
        {
            foreach (var chunk in shard.Chunk(1000))
            {
                await grains.GetGrain<IDeviceIndexGrain>(shard.Key).UpdateAsync(new DeviceIndexBatch("bench", now, chunk));
            }
        }

        load.Stop();
        var (all, _, _) = await FleetIndexQuery.RunAsync(grains, options.Shards, DeviceQuery.All, null, 1);
        // Secondary structures a shard builds on first use (sorted tag sets, metric columns) are built before measuring.
        foreach (var warm in WarmUpQueries())
        {
            await FleetIndexQuery.RunAsync(grains, options.Shards, warm, null, 1);
        }

        var heapIndexed = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine($"Fleet query benchmark: {devices:N0} device summaries in {options.Shards} shards of one in-process silo (in-memory storage), loaded in {load.Elapsed.TotalSeconds:F1} s; first device {all[0].DeviceId}.");
        Console.WriteLine($"Heap: summaries {(heapSummaries - heapBefore) / (double)devices:F0} B/device, shard tables on top {(heapIndexed - heapSummaries) / (double)devices:F0} B/device (after one query per tag value, per metric and on status), total {(heapIndexed - heapBefore) / (double)devices:F0} B/device.");
        Console.WriteLine($"Timings over {iterations} runs each after {iterations / 10} warm-up runs; limit 100 unless stated. Baseline: linear scan of a List<DeviceSummary> sorted by id, one thread, same matcher.");
        Console.WriteLine();
        Console.WriteLine($"{"Query",-48} {"Matches",8} {"Index p50",10} {"Index p99",10} {"Scan p50",10} {"Scan p99",10}");

        var sorted = fleet.OrderBy(d => d.DeviceId, StringComparer.Ordinal).ToList();
        (string Name, DeviceQuery Query)[] queries =
        [
            ("tag site=site-07 (5 %)", new([new("site", "site-07")], null, null, null, [])),
            ("status=alerting (5 % of online)", new([], DeviceStatus.Alerting, null, null, [])),
            ("metric temperature>99 (1 %)", new([], null, null, null, [new("temperature", MetricOperator.GreaterThan, 99)])),
            ("tag site=site-07 & model=m-2 & temperature>95", new([new("site", "site-07"), new("model", "m-2")], null, null, null, [new("temperature", MetricOperator.GreaterThan, 95)])),
            ("metric pressure<0 (no match: full scan)", new([], null, null, null, [new("pressure", MetricOperator.LessThan, 0)])),
        ];
        foreach (var (name, query) in queries)
        {
            var matches = sorted.Count(d => DeviceMatcher.Matches(query, d, DeviceStatuses.Of(d, DateTimeOffset.UtcNow, options.OfflineAfter)));
            var index = await TimeAsync(iterations, () => FleetIndexQuery.RunAsync(grains, options.Shards, query, null, 100));
            var scan = await TimeAsync(iterations, () => Task.FromResult(Scan(sorted, query, null, 100, options.OfflineAfter)));
            Print(name, matches, index, scan);
        }

        // The console's fleet figures: every shard counts its devices by status (GET /api/fleet/stats), beside one scan.
        var counted = await TimeAsync(iterations, async () => (await Task.WhenAll(Enumerable.Range(0, options.Shards)
            .Select(shard => grains.GetGrain<IDeviceIndexGrain>(shard).CountAsync(null)))).Aggregate(FleetCounts.None, (sum, shard) => sum.Add(shard)));
        var countScan = await TimeAsync(iterations, () =>
        {
            var at = DateTimeOffset.UtcNow;
            return Task.FromResult(sorted.CountBy(d => DeviceStatuses.Of(d, at, options.OfflineAfter)).ToList());
        });
        Print("fleet stats: counts by status (every device)", devices, counted, countScan);

        var walkQuery = queries[0].Query;
        var walkMatches = sorted.Count(d => DeviceMatcher.Matches(walkQuery, d, DeviceStatus.Online));
        var walkIndex = await TimeAsync(Math.Max(10, iterations / 10), () => WalkIndexAsync(grains, options.Shards, walkQuery, 1000));
        var walkScan = await TimeAsync(Math.Max(10, iterations / 10), () => Task.FromResult(WalkScan(sorted, walkQuery, 1000, options.OfflineAfter)));
        Print("page walk: tag site=site-07, pages of 1000", walkMatches, walkIndex, walkScan);

        // Steady state: every device reports again (new version, new metric values, same tags, fresh dictionaries as
        // deserialized), applied through UpdateAsync into shards whose secondary structures are built.
        // One warm-up round, then one timed.
        var random = new Random(7);
        var update = TimeSpan.Zero;
        for (var round = 1; round <= 2; round++)
        {
            var reports = fleet.Select(d => d with
            {
                Version = d.Version + round,
                Tags = new Dictionary<string, string>(d.Tags, StringComparer.Ordinal),
                Metrics = d.Metrics.ToDictionary(m => m.Key, m => Math.Round(random.NextDouble() * 100, 2), StringComparer.Ordinal),
            }).GroupBy(d => DeviceIndexShards.Of(d.DeviceId, options.Shards)).Select(g => (g.Key, g.Chunk(1000).ToList())).ToList();
            var started = Stopwatch.GetTimestamp();
            foreach (var (shard, chunks) in reports)
            {
                foreach (var chunk in chunks)
                {
                    await grains.GetGrain<IDeviceIndexGrain>(shard).UpdateAsync(new DeviceIndexBatch("bench", now, chunk));
                }
            }

            update = Stopwatch.GetElapsedTime(started);
        }

        Console.WriteLine();
        Console.WriteLine($"Updates: {devices:N0} summaries of held devices (new version and metric values, after one warm-up round) applied in {update.TotalMilliseconds:F0} ms, {update.TotalMilliseconds * 1000 / devices:F2} us/device.");

        await host.StopAsync();
        GC.KeepAlive(fleet);
        return 0;
    }

    private static IEnumerable<DeviceQuery> WarmUpQueries()
    {
        for (var site = 0; site < Sites; site++)
        {
            yield return new([new("site", "site-" + site.ToString("D2", CultureInfo.InvariantCulture))], null, null, null, []);
        }

        for (var model = 0; model < Models; model++)
        {
            yield return new([new("model", "m-" + model.ToString(CultureInfo.InvariantCulture))], null, null, null, []);
        }

        foreach (var metric in new[] { "temperature", "pressure", "humidity" })
        {
            yield return new([], null, null, null, [new(metric, MetricOperator.GreaterThan, double.MaxValue)]);
        }

        foreach (var status in Enum.GetValues<DeviceStatus>())
        {
            yield return new([], status, null, null, []);
        }
    }

    private static List<DeviceSummary> Generate(int count, DateTimeOffset now)
    {
        var random = new Random(42);
        var fleet = new List<DeviceSummary>(count);
        for (var i = 0; i < count; i++)
        {
            // Fresh strings per device, as deserialized summaries arrive in a shard.
            var tags = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [new string("site")] = "site-" + (i % Sites).ToString("D2", CultureInfo.InvariantCulture),
                [new string("model")] = "m-" + (i / Sites % Models).ToString(CultureInfo.InvariantCulture),
            };
            var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
            {
                [new string("temperature")] = Math.Round(random.NextDouble() * 100, 2),
                [new string("pressure")] = Math.Round(1 + random.NextDouble(), 3),
                [new string("humidity")] = Math.Round(random.NextDouble() * 100, 1),
            };
            var id = "dev-" + random.Next(0, 1 << 30).ToString("x8", CultureInfo.InvariantCulture) + "-" + i.ToString("D7", CultureInfo.InvariantCulture);
            // Half seen within the last 10 minutes (online or alerting), half before (offline); 5 % with an active alert.
            var lastSeen = now - TimeSpan.FromSeconds(random.Next(0, 1200));
            fleet.Add(new DeviceSummary(id, random.Next(1, 10_000), lastSeen, tags, metrics, random.Next(100) < 5 ? 1 : 0, false));
        }

        return fleet;
    }

    private static List<FleetDevice> Scan(List<DeviceSummary> sorted, DeviceQuery query, string? afterId, int limit, TimeSpan offlineAfter)
    {
        var now = DateTimeOffset.UtcNow;
        var page = new List<FleetDevice>();
        foreach (var device in sorted)
        {
            if (afterId is not null && string.CompareOrdinal(device.DeviceId, afterId) <= 0)
            {
                continue;
            }

            var status = DeviceStatuses.Of(device, now, offlineAfter);
            if (DeviceMatcher.Matches(query, device, status))
            {
                page.Add(new FleetDevice(device, status));
                if (page.Count > limit)
                {
                    break;
                }
            }
        }

        return page;
    }

    private static async Task<int> WalkIndexAsync(IGrainFactory grains, int shards, DeviceQuery query, int limit)
    {
        var total = 0;
        string? after = null;
        do
        {
            var (page, next, _) = await FleetIndexQuery.RunAsync(grains, shards, query, after, limit);
            total += page.Count;
            after = next;
        }
        while (after is not null);

        return total;
    }

    private static int WalkScan(List<DeviceSummary> sorted, DeviceQuery query, int limit, TimeSpan offlineAfter)
    {
        var total = 0;
        string? after = null;
        while (true)
        {
            var page = Scan(sorted, query, after, limit, offlineAfter);
            var served = Math.Min(limit, page.Count);
            total += served;
            if (page.Count <= limit)
            {
                return total;
            }

            after = page[served - 1].DeviceId;
        }
    }

    private static async Task<(double P50, double P99)> TimeAsync<T>(int iterations, Func<Task<T>> run)
    {
        for (var i = 0; i < iterations / 10; i++)
        {
            await run();
        }

        var samples = new double[iterations];
        for (var i = 0; i < iterations; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await run();
            samples[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        Array.Sort(samples);
        return (samples[(int)(0.50 * (iterations - 1))], samples[(int)Math.Ceiling(0.99 * (iterations - 1))]);
    }

    private static void Print(string name, int matches, (double P50, double P99) index, (double P50, double P99) scan) =>
        Console.WriteLine($"{name,-48} {matches,8:N0} {index.P50,8:F2}ms {index.P99,8:F2}ms {scan.P50,8:F2}ms {scan.P99,8:F2}ms");
}
