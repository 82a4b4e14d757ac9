using System.Collections.Concurrent;
using System.Globalization;
using DeviceTwins.Testing;

namespace DeviceTwins.FaultCampaign.Platform;

/// <summary>
/// One scenario's platform: the standalone embedded Kafka cluster process, a Redis server the campaign can stop, and
/// silo processes in slots (fixed ports, so a silo restarted in a slot takes its predecessor's place as a rescheduled
/// pod would). A sampler reads every live silo's memory and replay counter twice a second.
/// </summary>
internal sealed class CampaignPlatform : IAsyncDisposable
{
    /// <summary>
    /// The rules the silos run, so the alerts expected are known exactly: a threshold on "load", and the heartbeat
    /// ("offline", the default rule's settings), which every device trips once the stream ends, and a silent one earlier.
    /// </summary>
    private static readonly Dictionary<string, string> SiloSettings = new()
    {
        ["Simulator__Enabled"] = "false",
        ["Analytics__UseDefaultRules"] = "false",
        ["Analytics__Rules__0__Name"] = "overload",
        ["Analytics__Rules__0__Kind"] = "Threshold",
        ["Analytics__Rules__0__Metrics__0"] = "load",
        ["Analytics__Rules__0__Severity"] = "Critical",
        ["Analytics__Rules__0__Threshold__RaiseAbove"] = "90",
        ["Analytics__Rules__0__Threshold__ClearBelow"] = "50",
        ["Analytics__Rules__1__Name"] = "offline",
        ["Analytics__Rules__1__Kind"] = "Heartbeat",
        ["Analytics__Rules__1__Severity"] = "Critical",
        // Quick sweeps, so the campaign's shortened runs see a silent device reported within seconds of its deadline.
        ["Wake__SweepInterval"] = "00:00:01",
        ["Wake__Grace"] = "00:00:02",
    };

    private readonly List<PlatformProcess> _processes = [];
    private readonly Dictionary<int, Slot> _slots = [];
    private readonly ConcurrentDictionary<PlatformProcess, long> _replayed = new();
    private readonly string _serviceId = "campaign-" + Guid.NewGuid().ToString("N")[..10];
    private readonly CancellationTokenSource _stopSampling = new();
    private readonly TextWriter _log;
    private readonly bool _keepLogs;
    private readonly IReadOnlyDictionary<string, string> _extraSettings;
    private Task _sampler = Task.CompletedTask;
    private long _peakSiloBytes;

    private CampaignPlatform(string workingDirectory, RedisServer redis, TextWriter log, bool keepLogs, IReadOnlyDictionary<string, string> siloSettings)
    {
        _extraSettings = siloSettings;
        _keepLogs = keepLogs;
        WorkingDirectory = workingDirectory;
        Redis = redis;
        _log = log;
    }

    public string WorkingDirectory { get; }

    public RedisServer Redis { get; }

    /// <summary>The Redis Cluster the silos store twins in instead of <see cref="Redis"/>, in the scenarios that fail one over.</summary>
    public RedisClusterServer? RedisCluster { get; private set; }

    public string BootstrapServers { get; private set; } = string.Empty;

    public KafkaControl Control { get; private set; } = null!;

    public int Brokers { get; private set; }

    public int Partitions { get; private set; }

    public long PeakSiloBytes => Interlocked.Read(ref _peakSiloBytes);

    /// <summary>Redelivered records skipped as already applied, summed over every silo process (last sample of each).</summary>
    public long Replayed => _replayed.Values.Sum();

    /// <summary>The silos running now, by slot.</summary>
    public IReadOnlyList<(int Slot, PlatformProcess Silo)> LiveSilos =>
        _slots.Where(s => s.Value.Silo is { HasExited: false }).Select(s => (s.Key, s.Value.Silo!)).ToList();

    public string Diagnostics => string.Join("\n\n", _processes.Select(p => p.Describe()));

    /// <summary>Starts Redis and the standalone embedded cluster with <paramref name="brokers"/> brokers.</summary>
    public static async Task<CampaignPlatform> StartAsync(string workingDirectory, int brokers, int partitions, TextWriter log, bool keepLogs = false, IReadOnlyDictionary<string, string>? siloSettings = null, bool redisCluster = false)
    {
        Directory.CreateDirectory(workingDirectory);
        var redis = await RedisServer.StartAsync(Path.Combine(workingDirectory, "redis")).ConfigureAwait(false);
        var platform = new CampaignPlatform(workingDirectory, redis, log, keepLogs, siloSettings ?? new Dictionary<string, string>());
        try
        {
            if (redisCluster)
            {
                platform.RedisCluster = await RedisClusterServer.StartAsync(Path.Combine(workingDirectory, "redis-cluster")).ConfigureAwait(false);
            }

            await platform.StartKafkaAsync(brokers, partitions).ConfigureAwait(false);
        }
        catch
        {
            await platform.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        platform._sampler = Task.Run(() => platform.SampleAsync(platform._stopSampling.Token));
        return platform;
    }

    private async Task StartKafkaAsync(int brokers, int partitions)
    {
        Brokers = brokers;
        Partitions = partitions;
        var environment = new Dictionary<string, string>
        {
            ["Kafka__EmbeddedBrokers"] = brokers.ToString(CultureInfo.InvariantCulture),
            ["Kafka__TelemetryPartitions"] = partitions.ToString(CultureInfo.InvariantCulture),
        };
        var kafka = Track(PlatformProcess.Start(CampaignEnvironment.SiloAssembly, "embedded-kafka", WorkingDirectory, environment, "embedded-kafka"));
        var state = Path.Combine(WorkingDirectory, ".devicetwins");
        var bootstrapFile = Path.Combine(state, "bootstrap.servers");
        var controlFile = Path.Combine(state, "kafka-control");
        await Eventually.Until(
            () => Task.FromResult((File.Exists(bootstrapFile) && File.Exists(controlFile)) || kafka.HasExited),
            ready => ready,
            TimeSpan.FromSeconds(60),
            _ => "the embedded cluster's bootstrap and control files\n" + Diagnostics).ConfigureAwait(false);
        if (kafka.HasExited)
        {
            throw new InvalidOperationException("The embedded Kafka cluster exited at start.\n" + Diagnostics);
        }

        BootstrapServers = (await File.ReadAllTextAsync(bootstrapFile).ConfigureAwait(false)).Trim();
        var controlUrl = (await File.ReadAllTextAsync(controlFile).ConfigureAwait(false)).Trim();
        Control = new KafkaControl(new HttpClient { BaseAddress = new Uri(controlUrl), Timeout = TimeSpan.FromSeconds(30) });
    }

    /// <summary>Starts a silo in <paramref name="slot"/> with Redis storage and clustering, and waits until its API answers.</summary>
    public async Task<PlatformProcess> StartSiloAsync(int slot)
    {
        var ports = SlotOf(slot);
        var environment = new Dictionary<string, string>(SiloSettings)
        {
            ["Kafka__BootstrapServers"] = BootstrapServers,
            ["Redis__ConnectionString"] = RedisCluster?.ConnectionString ?? Redis.ConnectionString,
            ["Redis__Cluster"] = RedisCluster is null ? "false" : "true",
            ["Orleans__ServiceId"] = _serviceId,
            ["Orleans__ClusterId"] = _serviceId,
            ["Orleans__SiloPort"] = ports.SiloPort.ToString(CultureInfo.InvariantCulture),
            ["Orleans__GatewayPort"] = ports.GatewayPort.ToString(CultureInfo.InvariantCulture),
            // Several silos share this machine: each MQTT bridge takes a free port rather than 1883.
            ["Mqtt__Port"] = "0",
            ["Api__Urls"] = ports.Http.BaseAddress!.ToString().TrimEnd('/'),
        };
        foreach (var (key, value) in _extraSettings)
        {
            environment[key] = value;
        }

        ports.Generation++;
        var silo = Track(PlatformProcess.Start(CampaignEnvironment.SiloAssembly, $"silo-{slot}.{ports.Generation}", WorkingDirectory, environment));
        ports.Silo = silo;
        await silo.WaitUntilHealthyAsync(ports.Http, TimeSpan.FromSeconds(120)).ConfigureAwait(false);
        await _log.WriteLineAsync($"  started {silo.Name} (pid {silo.Id})").ConfigureAwait(false);
        return silo;
    }

    /// <summary>SIGKILL of the silo in <paramref name="slot"/>.</summary>
    public async Task KillSiloAsync(int slot)
    {
        var silo = SlotOf(slot).Silo ?? throw new InvalidOperationException($"No silo in slot {slot}.");
        await SampleAsync(silo).ConfigureAwait(false);
        await silo.KillAsync().ConfigureAwait(false);
        await _log.WriteLineAsync($"  killed {silo.Name} (SIGKILL)").ConfigureAwait(false);
    }

    /// <summary>SIGTERM of the silo in <paramref name="slot"/>; returns how long it took to exit and its exit code.</summary>
    public async Task<(TimeSpan Took, int ExitCode)> StopSiloAsync(int slot, TimeSpan timeout)
    {
        var silo = SlotOf(slot).Silo ?? throw new InvalidOperationException($"No silo in slot {slot}.");
        await SampleAsync(silo).ConfigureAwait(false);
        var started = TimeProvider.System.GetTimestamp();
        await silo.StopAsync(timeout).ConfigureAwait(false);
        var took = TimeProvider.System.GetElapsedTime(started);
        var exit = await silo.WaitForExitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        await _log.WriteLineAsync($"  stopped {silo.Name} (SIGTERM) in {took.TotalSeconds:F1} s, exit code {exit}").ConfigureAwait(false);
        return (took, exit);
    }

    /// <summary>The co-hosted API of a live silo, taken round-robin by <paramref name="index"/>.</summary>
    public HttpClient Api(int index)
    {
        var live = LiveSilos;
        if (live.Count == 0)
        {
            throw new InvalidOperationException("No silo is running.");
        }

        return _slots[live[index % live.Count].Slot].Http;
    }

    private Slot SlotOf(int slot)
    {
        if (!_slots.TryGetValue(slot, out var ports))
        {
            ports = new Slot(TestHost.FreePort(), TestHost.FreePort(), PlatformProcess.ApiClient(new Uri($"http://127.0.0.1:{TestHost.FreePort()}"), TimeSpan.FromSeconds(60)));
            _slots.Add(slot, ports);
        }

        return ports;
    }

    private async Task SampleAsync(CancellationToken cancellation)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellation).ConfigureAwait(false))
            {
                foreach (var (_, silo) in LiveSilos)
                {
                    await SampleAsync(silo).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped with the platform.
        }
    }

    private async Task SampleAsync(PlatformProcess silo)
    {
        try
        {
            var (_, peak) = silo.Memory();
            long current;
            while (peak > (current = Interlocked.Read(ref _peakSiloBytes)) && Interlocked.CompareExchange(ref _peakSiloBytes, peak, current) != current)
            {
            }

            var slot = _slots.First(s => ReferenceEquals(s.Value.Silo, silo)).Value;
            using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            var metrics = await slot.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative), cancellation.Token).ConfigureAwait(false);
            _replayed[silo] = (long)PrometheusText.Sum(metrics, "devicetwins_twins_records_replayed_total");
        }
        catch (Exception exception) when (exception is IOException or HttpRequestException or OperationCanceledException or InvalidOperationException or UnauthorizedAccessException)
        {
            // The silo is stopping or busy; its last sample stands.
        }
    }

    private PlatformProcess Track(PlatformProcess process)
    {
        _processes.Add(process);
        return process;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopSampling.CancelAsync().ConfigureAwait(false);
        await _sampler.ConfigureAwait(false);
        _stopSampling.Dispose();
        foreach (var slot in _slots.Values)
        {
            slot.Http.Dispose();
        }

        foreach (var process in Enumerable.Reverse(_processes))
        {
            // Each process wrote its whole output to <working directory>/<name>.log as it ran.
            await process.DisposeAsync().ConfigureAwait(false);
        }

        await Redis.DisposeAsync().ConfigureAwait(false);
        if (RedisCluster is not null)
        {
            await RedisCluster.DisposeAsync().ConfigureAwait(false);
        }

        if (_keepLogs)
        {
            await _log.WriteLineAsync($"  logs kept in {WorkingDirectory}").ConfigureAwait(false);
        }
        else
        {
            try
            {
                Directory.Delete(WorkingDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Left for the OS to clean.
            }
        }
    }

    private sealed class Slot(int siloPort, int gatewayPort, HttpClient http)
    {
        public int SiloPort { get; } = siloPort;

        public int GatewayPort { get; } = gatewayPort;

        public HttpClient Http { get; } = http;

        public PlatformProcess? Silo { get; set; }

        public int Generation { get; set; }
    }
}
