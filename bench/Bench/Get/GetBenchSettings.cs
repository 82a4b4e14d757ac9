using System.Globalization;

namespace DeviceTwins.Bench.Get;

/// <summary>Command-line settings of one GET benchmark run (the "get" mode).</summary>
internal sealed record GetBenchSettings(
    int Devices,
    int Rate,
    int Duration,
    int Warmup,
    int Connections,
    int Threads,
    int Partitions,
    string Store,
    IReadOnlyDictionary<string, string> SiloSettings,
    string SiloAssembly)
{
    private const string Usage = "Use get [--devices 10000] [--rate 1000] [--duration 30] [--warmup 5] [--connections 32] [--threads 2] [--partitions 24] [--store redis|memory] [--silo-setting Key=Value ...].";

    public static GetBenchSettings Parse(string[] args)
    {
        int devices = 10_000, rate = 1_000, duration = 30, warmup = 5, connections = 32, threads = 2, partitions = 24;
        var store = "redis";
        var siloSettings = new Dictionary<string, string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"'{args[i]}' needs a value. {Usage}");
            }

            switch (args[i])
            {
                case "--devices": devices = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--rate": rate = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--duration": duration = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--warmup": warmup = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--connections": connections = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--threads": threads = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--partitions": partitions = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--store": store = args[++i]; break;
                case "--silo-setting":
                    var setting = args[++i].Split('=', 2);
                    if (setting.Length != 2)
                    {
                        throw new ArgumentException($"--silo-setting takes Key=Value, not '{args[i]}'. {Usage}");
                    }

                    siloSettings[setting[0].Replace(":", "__", StringComparison.Ordinal)] = setting[1];
                    break;
                default: throw new ArgumentException($"Unknown argument '{args[i]}'. {Usage}");
            }
        }

        var settings = new GetBenchSettings(devices, rate, duration, warmup, connections, threads, partitions, store, siloSettings, BenchSettings.SiloAssemblyPath());
        settings.Validate();
        return settings;
    }

    private void Validate()
    {
        var errors = new List<string>();
        if (Devices < 1)
        {
            errors.Add("--devices must be at least 1.");
        }

        if (Rate < 0)
        {
            errors.Add("--rate must be 0 (no telemetry) or more records/s.");
        }

        if (Duration < 1)
        {
            errors.Add("--duration must be at least 1 s.");
        }

        if (Warmup < 1)
        {
            errors.Add("--warmup must be at least 1 s (wrk runs whole seconds).");
        }

        if (Threads < 1 || Connections < Threads)
        {
            errors.Add("--threads must be at least 1 and --connections at least --threads (wrk gives each thread its share of the connections).");
        }

        if (Partitions < 1)
        {
            errors.Add("--partitions must be at least 1.");
        }

        if (Store is not ("redis" or "memory"))
        {
            errors.Add("--store must be redis (a private redis-server) or memory.");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(' ', errors) + " " + Usage);
        }
    }
}
