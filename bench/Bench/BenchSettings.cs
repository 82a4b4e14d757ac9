using System.Globalization;

namespace DeviceTwins.Bench;

/// <summary>Command-line settings of one benchmark run.</summary>
internal sealed record BenchSettings(int Devices, int Records, int Partitions, int WarmupRounds, string? Redis, IReadOnlyDictionary<string, string> SiloSettings, string SiloAssembly, int LatencyRate, bool VerifyFromStore = false, int AnomalyEvery = 500, int LatencySeconds = 20)
{
    public static BenchSettings Parse(string[] args)
    {
        int devices = 10_000, records = 1_000_000, partitions = 24, warmup = 5, latencyRate = 5_000, anomalyEvery = 500, latencySeconds = 20;
        string? redis = null;
        var verifyFromStore = false;
        var siloSettings = new Dictionary<string, string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--devices": devices = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--records": records = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--partitions": partitions = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--warmup-rounds": warmup = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--redis": redis = args[++i]; break;
                case "--latency-rate": latencyRate = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--anomaly-every": anomalyEvery = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--latency-seconds": latencySeconds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--verify":
                    verifyFromStore = args[++i] switch
                    {
                        "http" => false,
                        "store" => true,
                        var other => throw new ArgumentException($"--verify takes http or store, not '{other}'."),
                    };
                    break;
                case "--silo-setting":
                    var setting = args[++i].Split('=', 2);
                    siloSettings[setting[0].Replace(":", "__", StringComparison.Ordinal)] = setting[1];
                    break;
                default: throw new ArgumentException($"Unknown argument '{args[i]}'. Use --devices N --records N [--partitions N] [--warmup-rounds N] [--redis host:port] [--latency-rate records/s] [--latency-seconds N] [--anomaly-every N] [--verify http|store] [--silo-setting Key=Value ...].");
            }
        }

        if ((long)warmup * devices >= records)
        {
            throw new ArgumentException("--warmup-rounds x --devices must be smaller than --records.");
        }

        if (records % devices != 0)
        {
            throw new ArgumentException("--records must be a multiple of --devices, so every device gets the same count.");
        }

        if (verifyFromStore && redis is null)
        {
            throw new ArgumentException("--verify store reads the twin store: it needs --redis.");
        }

        if (latencySeconds < 1)
        {
            throw new ArgumentException("--latency-seconds must be at least 1.");
        }

        if (anomalyEvery < 1)
        {
            throw new ArgumentException("--anomaly-every must be at least 1 (one live record in N is anomalous).");
        }

        return new BenchSettings(devices, records, partitions, warmup, redis, siloSettings, SiloAssemblyPath(), latencyRate, verifyFromStore, anomalyEvery, latencySeconds);
    }

    /// <summary>The silo assembly built in the same configuration (Debug or Release) as this benchmark.</summary>
    public static string SiloAssemblyPath()
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "DeviceTwins.sln")))
        {
            root = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(root)) ?? throw new InvalidOperationException("DeviceTwins.sln not found.");
        }

        return Path.Combine(root, "src", "Silo", "bin", configuration, "net10.0", "DeviceTwins.Silo.dll");
    }
}
