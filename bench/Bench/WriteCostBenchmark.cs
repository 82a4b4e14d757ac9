using System.Diagnostics;
using System.Globalization;
using System.Text;
using DeviceTwins.Analytics;
using DeviceTwins.Analytics.Rules;
using DeviceTwins.Grains.Index;
using DeviceTwins.Grains.Telemetry;
using DeviceTwins.Grains.Twin;
using DeviceTwins.Silo.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace DeviceTwins.Bench;

/// <summary>
/// The CPU and allocation of what a twin write encodes besides its state, per write, on twins built as the grain builds
/// them (the benchmark's analytics, 3 metrics, one record every 10 s): the fleet index summary as the store wrote it
/// before (a <c>DeviceSummary</c> copied from the state, then Orleans' serializer) against
/// <see cref="DeviceSummaryCodec"/>, with the state's own serialization beside them for scale. One thread, after a warm-up.
/// </summary>
internal static class WriteCostBenchmark
{
    private static readonly DateTimeOffset Start = new(2026, 11, 27, 0, 0, 0, TimeSpan.Zero);

    public static int Run(string[] args)
    {
        var devices = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2_000;
        var writes = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 500_000;
        var states = Twins(devices, records: 60);
        using var services = new ServiceCollection().AddSerializer().AddAnalyticsSerialization().BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();
        var ids = Enumerable.Range(0, devices).Select(TelemetryLoad.DeviceId).ToArray();

        Console.WriteLine($"Cost of one twin write's encodings, {devices:N0} twins (3 metrics, 60 records each), {writes:N0} writes per row, one thread");
        Console.WriteLine();
        Console.WriteLine("| encoding | ns per write | bytes allocated per write | bytes stored |");
        Console.WriteLine("|---|---|---|---|");
        var before = Measure("summary, as before: DeviceSummary + Orleans' serializer", writes, i => serializer.SerializeToArray(DeviceSummaries.Of(ids[i % devices], states[i % devices])).Length);
        var now = Measure("summary: DeviceSummaryCodec", writes, i => DeviceSummaryCodec.Encode(ids[i % devices], states[i % devices]).Length);
        Measure("the twin state (Orleans' serializer, for scale)", writes / 10, i => serializer.SerializeToArray(states[i % devices]).Length);
        Console.WriteLine();
        Console.WriteLine($"summary encoding: {before / now:N1} times faster than before (same run)");
        return 0;
    }

    private static double Measure(string name, int writes, Func<int, int> write)
    {
        var stored = 0;
        for (var i = 0; i < Math.Min(writes, 20_000); i++)
        {
            stored = write(i);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < writes; i++)
        {
            stored = write(i);
        }

        var ns = clock.Elapsed.TotalNanoseconds / writes;
        var bytes = (GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)writes;
        Console.WriteLine($"| {name} | {ns:N0} | {bytes:N0} | {stored:N0} |");
        return ns;
    }

    private static DeviceTwinState[] Twins(int devices, int records)
    {
        var analytics = new DeviceAnalytics(BenchAnalytics.Options());
        var limits = new TelemetryLimits();
        var empty = new Dictionary<string, string>();
        var states = new DeviceTwinState[devices];
        var rules = new DeviceRules[devices];
        var buffer = new List<KeyValuePair<string, double>>(3);
        for (var d = 0; d < devices; d++)
        {
            states[d] = new DeviceTwinState();
            states[d].Tags = new Dictionary<string, string>(StringComparer.Ordinal) { ["site"] = string.Concat("plant-", (d % 10).ToString(CultureInfo.InvariantCulture)) };
            rules[d] = analytics.RulesFor(TelemetryLoad.DeviceId(d), empty);
        }

        for (var round = 0; round < records; round++)
        {
            var ts = Start.AddSeconds(10 * round);
            for (var d = 0; d < devices; d++)
            {
                BenchTwinRecord.Apply(analytics, limits, states[d], rules[d], buffer, d, round, ts);
                states[d].Analytics.PendingAlerts.Clear();
                states[d].Analytics.PendingWindows.Clear();
            }
        }

        return states;
    }
}
