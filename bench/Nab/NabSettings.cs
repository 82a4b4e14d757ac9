using DeviceTwins.Nab.Detectors;

namespace DeviceTwins.Nab;

/// <summary>Command-line settings of one replay: where the corpus, windows and profiles are, and what to run.</summary>
internal sealed record NabSettings(string DataFolder, string WindowsPath, string? ProfilesPath, string? ResultsFolder, string Detector)
{
    public const string Usage = "Use --data <folder> --windows <json> [--profiles <json>] [--results <outdir>] [--detector devicetwins|zscore|null] "
        + "[--pipeline [--bootstrap <servers>] [--api <url>] [--api-key <key>] [--run <tag>]].";

    /// <summary>The platform's REST API when none is given (README, Api:Urls).</summary>
    public const string DefaultApi = "http://127.0.0.1:5080/";

    /// <summary>Whether to replay through a running platform instead of the in-process engine.</summary>
    public bool Pipeline { get; init; }

    /// <summary>The platform's Kafka bootstrap servers; null reads <c>.devicetwins/bootstrap.servers</c>.</summary>
    public string? BootstrapServers { get; init; }

    /// <summary>The platform's REST API.</summary>
    public Uri Api { get; init; } = new(DefaultApi);

    /// <summary>The API key sent in X-Api-Key; null reads <c>.devicetwins/api-key</c> (the development key).</summary>
    public string? ApiKey { get; init; }

    /// <summary>Tag in the device ids, so replays on one platform do not meet; null takes the time of the run.</summary>
    public string? Run { get; init; }

    /// <summary>Parses <paramref name="args"/>; paths default to the shared NAB copy beside the repository (../shared/nab from its root).</summary>
    public static NabSettings Parse(string[] args)
    {
        string? data = null, windows = null, profiles = null, results = null, bootstrap = null, api = null, apiKey = null, run = null;
        var detector = DetectorCatalog.Default;
        var pipeline = false;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--pipeline")
            {
                pipeline = true;
                continue;
            }

            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"'{args[i]}' needs a value. {Usage}");
            switch (args[i])
            {
                case "--data": data = value; break;
                case "--windows": windows = value; break;
                case "--profiles": profiles = value; break;
                case "--results": results = value; break;
                case "--detector": detector = value; break;
                case "--bootstrap": bootstrap = value; break;
                case "--api": api = value; break;
                case "--api-key": apiKey = value; break;
                case "--run": run = value; break;
                default: throw new ArgumentException($"Unknown argument '{args[i]}'. {Usage}");
            }

            i++;
        }

        if (run is not null && (run.Length is 0 or > 32 || !run.All(Platform.NabDevices.IsIdCharacter)))
        {
            throw new ArgumentException($"--run '{run}' must be 1-32 characters allowed in a device id. {Usage}");
        }

        if (pipeline && detector != DetectorCatalog.Default)
        {
            throw new ArgumentException($"--pipeline runs the platform's own analytics; it cannot run '{detector}'. {Usage}");
        }

        var nab = data is null || windows is null ? DefaultNabFolder() : null;
        var windowsPath = Path.GetFullPath(windows ?? Path.Combine(nab!, "combined_windows.json"));
        var windowsFolder = Path.GetDirectoryName(windowsPath)!;
        return new NabSettings(
            Path.GetFullPath(data ?? Path.Combine(nab!, "data")),
            windowsPath,
            profiles is not null ? Path.GetFullPath(profiles) : Beside(windowsFolder, "profiles.json"),
            results is null ? null : Path.GetFullPath(results),
            detector)
        {
            Pipeline = pipeline,
            BootstrapServers = bootstrap,
            Api = api is null ? new Uri(DefaultApi) : Uri.TryCreate(api.EndsWith('/') ? api : api + "/", UriKind.Absolute, out var uri) ? uri : throw new ArgumentException($"--api '{api}' is not an absolute URL. {Usage}"),
            ApiKey = apiKey,
            Run = run,
        };
    }

    /// <summary>
    /// The bootstrap servers: <see cref="BootstrapServers"/>, or the first line of <c>.devicetwins/bootstrap.servers</c>, which
    /// <c>dotnet run --project src/Silo</c> writes in the folder it runs from (the working directory or one above it).
    /// </summary>
    public string ResolveBootstrapServers()
    {
        if (BootstrapServers is not null)
        {
            return BootstrapServers;
        }

        for (var folder = new DirectoryInfo(Directory.GetCurrentDirectory()); folder is not null; folder = folder.Parent)
        {
            var path = Path.Combine(folder.FullName, ".devicetwins", "bootstrap.servers");
            if (File.Exists(path))
            {
                var servers = File.ReadLines(path).FirstOrDefault()?.Trim();
                return string.IsNullOrEmpty(servers) ? throw new ArgumentException($"{path} is empty. {Usage}") : servers;
            }
        }

        throw new ArgumentException($"No .devicetwins/bootstrap.servers in the working directory or above it: start the platform (dotnet run --project src/Silo) or pass --bootstrap. {Usage}");
    }

    /// <summary>
    /// The API key: <see cref="ApiKey"/>, or the development key in <c>.devicetwins/api-key</c> (working directory or above),
    /// or null when there is neither (the platform then refuses the replay's reads with 401).
    /// </summary>
    public string? ResolveApiKey()
    {
        if (ApiKey is not null)
        {
            return ApiKey;
        }

        for (var folder = new DirectoryInfo(Directory.GetCurrentDirectory()); folder is not null; folder = folder.Parent)
        {
            var path = Path.Combine(folder.FullName, ".devicetwins", "api-key");
            if (File.Exists(path))
            {
                return File.ReadLines(path).FirstOrDefault()?.Trim();
            }
        }

        return null;
    }

    private static string? Beside(string folder, string file)
    {
        var path = Path.Combine(folder, file);
        return File.Exists(path) ? path : null;
    }

    private static string DefaultNabFolder()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "DeviceTwins.sln")))
                {
                    return Path.GetFullPath(Path.Combine(folder.FullName, "..", "shared", "nab"));
                }
            }
        }

        throw new ArgumentException($"No DeviceTwins.sln above the working directory or the tool, so no default NAB folder. {Usage}");
    }
}
