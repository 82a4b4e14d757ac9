using System.Globalization;
using StackExchange.Redis;

namespace DeviceTwins.Bench;

/// <summary>
/// The marginal memory of one twin: the end-to-end benchmark at two fleet sizes with the same records per device, one
/// after the other, and the difference of the silo's settled heap and resident set divided by the difference of the
/// fleets. Fixed costs (the runtime, Orleans, caches sized by configuration) cancel out; what is left is what one more
/// twin costs. With --redis, the benchmark's private Redis is emptied before each run, since both fleets use the same
/// device ids.
/// </summary>
internal static class MarginalMemoryBenchmark
{
    public const string Usage = "Use marginal --small N --devices N --records N [the end-to-end benchmark's other arguments]; --records / --devices records per device in both runs.";

    public static async Task<int> RunAsync(string[] args)
    {
        var smallAt = Array.IndexOf(args, "--small");
        if (smallAt < 0 || smallAt + 1 >= args.Length || !int.TryParse(args[smallAt + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var small) || small <= 0)
        {
            throw new ArgumentException(Usage);
        }

        var large = BenchSettings.Parse([.. args[..smallAt], .. args[(smallAt + 2)..]]);
        if (small >= large.Devices)
        {
            throw new ArgumentException($"--small {small} must be fewer than --devices {large.Devices}. {Usage}");
        }

        var perDevice = large.Records / large.Devices;
        var first = large with { Devices = small, Records = small * perDevice };
        var results = new List<EndToEndResult>();
        foreach (var settings in new[] { first, large })
        {
            await EmptyRedisAsync(settings.Redis);
            results.Add(await EndToEndBenchmark.RunAsync(settings));
            Console.WriteLine();
        }

        var twins = (double)(large.Devices - small);
        Console.WriteLine($"Marginal memory per twin, {small:N0} -> {large.Devices:N0} devices, {perDevice} records each (settled after an induced full collection in each run):");
        Console.WriteLine($"  GC heap             {(results[1].SettledHeap - results[0].SettledHeap) / twins,12:N0} bytes ({results[0].SettledHeap / 1048576.0:N0} -> {results[1].SettledHeap / 1048576.0:N0} MiB)");
        Console.WriteLine($"  RSS                 {(results[1].SettledRss - results[0].SettledRss) / twins,12:N0} bytes ({results[0].SettledRss / 1048576.0:N0} -> {results[1].SettledRss / 1048576.0:N0} MiB)");
        return results.Max(r => r.ExitCode);
    }

    private static async Task EmptyRedisAsync(string? connection)
    {
        if (connection is null)
        {
            return;
        }

        await using var redis = await ConnectionMultiplexer.ConnectAsync(ConfigurationOptions.Parse(connection + ",allowAdmin=true"));
        foreach (var server in redis.GetServers())
        {
            await server.FlushAllDatabasesAsync();
        }
    }
}
