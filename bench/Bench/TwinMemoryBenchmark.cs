using System.Globalization;
using System.Text;
using DeviceTwins.Analytics;
using DeviceTwins.Analytics.Alerts;
using DeviceTwins.Analytics.Rules;
using DeviceTwins.Grains.Interfaces.Models;
using DeviceTwins.Grains.Persistence;
using DeviceTwins.Grains.Telemetry;
using DeviceTwins.Grains.Twin;
using DeviceTwins.Silo.Extensions;
using DeviceTwins.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace DeviceTwins.Bench;

/// <summary>
/// The memory of one twin's state, part by part, as the grain builds it: every record parsed by the silo's
/// <see cref="TelemetryParser"/>, applied by <see cref="TwinUpdater"/> and observed by the benchmark's analytics, one record
/// every 10 s of event time per device. It measures the managed heap with every twin held, then drops one part of every
/// twin at a time and measures again, so each part's share is what the heap lost. It also prints the bytes of one state
/// as the Redis storage writes it (Orleans' serializer, analytics as JSON), and what the twin's history store holds (its
/// retained windows and cleared alerts): in this process (the default without Redis), and as Redis list values. The Orleans activation, stream subscription and
/// queue cache are not here: the end-to-end benchmark's marginal figure holds them.
/// </summary>
internal static class TwinMemoryBenchmark
{
    private static readonly DateTimeOffset Start = new(2026, 11, 27, 0, 0, 0, TimeSpan.Zero);

    public static async Task<int> RunAsync(string[] args)
    {
        var devices = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
        var tenants = args.Skip(1).Contains("tenants");
        var reloaded = args.Skip(1).Contains("reloaded");
        Console.WriteLine($"Twin state memory, {devices:N0} twins, 3 metrics, the benchmark's analytics (windows of 1 and 5 min, every detector), one record per device every 10 s{(tenants ? ", each twin of a tenant (its reserved tag, as read back from storage: a string of its own)" : string.Empty)}{(reloaded ? ", every state read back from its stored bytes as a new activation reads it" : string.Empty)}");
        Console.WriteLine();
        Console.WriteLine("| records per device (event time) | twin state | metrics/props/offsets | documents | tags | open windows | detectors | alert states | heartbeats | outbox | rest (objects, rules) | state write | history in process | history in Redis |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var records in new[] { 3, 60, 240 })
        {
            await MeasureAsync(devices, records, tenants, reloaded);
        }

        return 0;
    }

    private static async Task MeasureAsync(int devices, int records, bool tenants, bool reloaded)
    {
        var analytics = new DeviceAnalytics(BenchAnalytics.Options());
        var limits = new TelemetryLimits();
        var empty = new Dictionary<string, string>();
        var history = new InProcessTwinHistoryStore();
        var historyLimits = new TwinHistoryLimits(analytics.RetainedWindows, analytics.RetainedAlerts);
        var before = Heap();
        var states = new DeviceTwinState[devices];
        var rules = new DeviceRules[devices];
        var buffer = new List<KeyValuePair<string, double>>(3);
        for (var d = 0; d < devices; d++)
        {
            states[d] = new DeviceTwinState();
            if (tenants)
            {
                states[d].Tags = new Dictionary<string, string>(StringComparer.Ordinal) { [DeviceTwins.Grains.Interfaces.Tenants.TagKey] = string.Concat("tenant-", (d % 10).ToString(CultureInfo.InvariantCulture)) };
            }

            rules[d] = analytics.RulesFor(TelemetryLoad.DeviceId(d), empty);
        }

        for (var round = 0; round < records; round++)
        {
            var ts = Start.AddSeconds(10 * round);
            for (var d = 0; d < devices; d++)
            {
                BenchTwinRecord.Apply(analytics, limits, states[d], rules[d], buffer, d, round, ts);
            }

            // The outbox is published after every turn, to Kafka and to the history store; a twin then holds an empty outbox.
            for (var d = 0; d < devices; d++)
            {
                var outbox = states[d].Analytics;
                var cleared = outbox.PendingAlerts.Where(a => a.Status == AlertStatus.Cleared).ToList();
                history.AppendAsync(TelemetryLoad.DeviceId(d), outbox.PendingWindows, cleared, historyLimits).GetAwaiter().GetResult();
                states[d].Analytics.PendingAlerts.Clear();
                states[d].Analytics.PendingWindows.Clear();
                // Emptied by their publication, the grain's outbox lists give their arrays back.
                states[d].Analytics.PendingAlerts.Capacity = 0;
                states[d].Analytics.PendingWindows.Capacity = 0;
            }
        }

        var stored = StoredBytes(states[devices / 2]);
        if (reloaded)
        {
            Reload(states);
        }

        var withHistory = Heap();
        var retained = (await history.ReadAsync(TelemetryLoad.DeviceId(devices / 2))).Windows.Sum(w => TwinHistoryCodec.EncodeWindow(w).Length);
        history = null!;
        var full = Heap();
        var historyPerDevice = (withHistory - full) / (double)devices;
        var parts = new List<double>();
        void Drop(Action<DeviceTwinState> drop)
        {
            var at = Heap();
            foreach (var s in states)
            {
                drop(s);
            }

            parts.Add((at - Heap()) / (double)devices);
        }

        Drop(s => { s.Metrics = new NamedValues<MetricReading>(); s.Props = null!; s.AppliedOffsets = new NamedValues<long>(); });
        Drop(s => s.Documents = null!);
        Drop(s => s.Tags = DeviceTwinState.NoTags);
        Drop(s => s.Analytics.OpenWindows = null!);
        Drop(s => s.Analytics.Detectors = null!);
        Drop(s => s.Analytics.Alerts = null!);
        Drop(s => s.Analytics.Heartbeats = null!);
        Drop(s => { s.Analytics.PendingAlerts = null!; s.Analytics.PendingWindows = null!; });
        var total = (full - before) / (double)devices;
        var rest = total - parts.Sum();
        GC.KeepAlive(states);
        GC.KeepAlive(rules);
        Console.WriteLine($"| {records} ({TimeSpan.FromSeconds(10 * (records - 1)):g}) | {Bytes(total)} | {string.Join(" | ", parts.Select(Bytes))} | {Bytes(rest)} | {stored:N0} B | {Bytes(historyPerDevice)} | {retained:N0} B |");
    }

    private static long StoredBytes(DeviceTwinState state)
    {
        using var provider = SerializerServices();
        return provider.GetRequiredService<Serializer>().SerializeToArray(state).Length;
    }

    // Each state replaced by the one its stored bytes give back, as a new activation reads it from the twin store and
    // then shares its names.
    private static void Reload(DeviceTwinState[] states)
    {
        using var provider = SerializerServices();
        var serializer = provider.GetRequiredService<Serializer>();
        for (var d = 0; d < states.Length; d++)
        {
            states[d] = serializer.Deserialize<DeviceTwinState>(serializer.SerializeToArray(states[d]))!;
            TwinNames.Share(states[d]);
        }
    }

    private static ServiceProvider SerializerServices()
    {
        var services = new ServiceCollection();
        services.AddSerializer();
        services.AddAnalyticsSerialization();
        return services.BuildServiceProvider();
    }

    private static string Bytes(double bytes) => bytes >= 1024
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024:F1} KB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes:F0} B");

    private static long Heap()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(true);
    }
}
