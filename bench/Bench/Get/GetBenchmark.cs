using System.Diagnostics;
using System.Globalization;
using DeviceTwins.Testing;

namespace DeviceTwins.Bench.Get;

/// <summary>
/// GET /api/devices/{id} under wrk while telemetry flows: the real platform (silo with its co-hosted API, the embedded
/// Kafka cluster, a private redis-server) beside a plain ASP.NET Core endpoint serving a cached twin, measured one
/// after the other in the same run, with the same wrk settings and the same telemetry flowing into the silo.
/// </summary>
internal static class GetBenchmark
{
    private const string AppliedMetric = "devicetwins_twins_records_applied_total";
    private const string LagMetric = "devicetwins_kafka_consumer_lag";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    public static async Task<int> RunAsync(string[] args)
    {
        var settings = GetBenchSettings.Parse(args);
        var work = Directory.CreateTempSubdirectory("devicetwins-getbench-").FullName;
        Console.WriteLine($"DeviceTwins GET benchmark: {settings.Devices:N0} devices, telemetry {settings.Rate:N0} records/s, wrk {settings.Threads} threads x {settings.Connections} connections, {settings.Duration} s per target after a {settings.Warmup} s warm-up, {settings.Partitions} partitions, twin state in {settings.Store}, {Environment.ProcessorCount} cores shared by every process");
        Console.WriteLine($"  work folder         {work} (process logs written as they run, wrk reports as wrk-*.txt)");
        var wrk = WrkLoad.Create(work, settings.Devices, settings.Threads, settings.Connections);

        await using var redis = settings.Store == "redis" ? await RedisChild.StartAsync(StartTimeout) : null;
        await using var kafka = PlatformProcess.Start(settings.SiloAssembly, "embedded-kafka", work, new Dictionary<string, string>
        {
            ["Kafka__TelemetryPartitions"] = settings.Partitions.ToString(CultureInfo.InvariantCulture),
        }, "embedded-kafka");
        var bootstrap = await EndToEndBenchmark.ReadBootstrapAsync(work, kafka);

        var platformUri = new Uri($"http://127.0.0.1:{TestHost.FreePort()}");
        await using var silo = PlatformProcess.Start(settings.SiloAssembly, "silo", work, SiloEnvironment(bootstrap, platformUri, redis, settings.SiloSettings));
        using var http = PlatformProcess.ApiClient(platformUri, TimeSpan.FromSeconds(30));
        await silo.WaitUntilHealthyAsync(http, StartTimeout);

        await using var telemetry = new LiveTelemetry(bootstrap, settings.Devices);
        await telemetry.PreloadAsync();
        // One record per device: once the silo has applied as many records as there are devices, every twin exists.
        await Eventually.Until(() => ReadMetricAsync(http, AppliedMetric), applied => applied >= settings.Devices, TimeSpan.FromMinutes(5), "the silo to apply one record per device");
        Console.WriteLine($"  pre-loaded          {settings.Devices:N0} twins, one record each");

        // The baseline's cached object is the platform's own answer for the first device, kept as served.
        var twinFile = Path.Combine(work, "twin.json");
        var twinJson = await http.GetByteArrayAsync(new Uri("/api/devices/" + TelemetryLoad.DeviceId(0), UriKind.Relative));
        await File.WriteAllBytesAsync(twinFile, twinJson);
        var baselineUri = new Uri($"http://127.0.0.1:{TestHost.FreePort()}");
        await using var baseline = PlatformProcess.Start(typeof(GetBenchmark).Assembly.Location, "baseline-server", work, new Dictionary<string, string>(), "baseline-server", "--urls", baselineUri.ToString(), "--twin", twinFile);
        using var baselineHttp = new HttpClient { BaseAddress = baselineUri, Timeout = TimeSpan.FromSeconds(30) };
        await baseline.WaitUntilHealthyAsync(baselineHttp, StartTimeout);
        var baselineJson = await baselineHttp.GetByteArrayAsync(new Uri("/api/devices/" + TelemetryLoad.DeviceId(0), UriKind.Relative));
        Console.WriteLine($"  cached twin         {twinJson.Length:N0} bytes from the platform, {baselineJson.Length:N0} bytes re-serialized by the baseline server");

        telemetry.Start(settings.Rate);
        var pids = new GetProcesses(silo.Id, baseline.Id, kafka.Id, redis?.Pid, Environment.ProcessId);
        var runs = new List<GetRun>();
        var warmupFailures = 0L;
        foreach (var (target, uri, key) in new[] { ("baseline", baselineUri, (string?)null), ("platform", platformUri, PlatformProcess.ApiKey) })
        {
            var warmup = await wrk.RunAsync(target + "-warmup", uri, key, TimeSpan.FromSeconds(settings.Warmup));
            warmupFailures += warmup.NonSuccess + warmup.SocketErrors;
            Console.WriteLine($"  warm-up {target,-11} {warmup.RequestsPerSecond,12:N0} requests/s, p99 {warmup.P99:N2} ms, {warmup.NonSuccess} non-2xx, {warmup.SocketErrors} socket errors");
            runs.Add(await MeasureAsync(target, wrk, uri, key, TimeSpan.FromSeconds(settings.Duration), http, telemetry, pids));
        }

        await telemetry.StopAsync();
        Print(settings, runs);
        if (warmupFailures > 0 || runs.Any(r => r.Failed))
        {
            Console.WriteLine("  FAILED: non-2xx responses or socket errors (see the table and the warm-ups).");
            return 1;
        }

        return 0;
    }

    private static async Task<GetRun> MeasureAsync(string target, WrkLoad wrk, Uri uri, string? key, TimeSpan duration, HttpClient platform, LiveTelemetry telemetry, GetProcesses pids)
    {
        var appliedBefore = await ReadMetricAsync(platform, AppliedMetric);
        var producedBefore = telemetry.Sent;
        var cpuBefore = pids.Cpu();
        var clock = Stopwatch.StartNew();
        var result = await wrk.RunAsync(target, uri, key, duration);
        var seconds = clock.Elapsed.TotalSeconds;
        var cpu = pids.Cpu() - cpuBefore;
        var produced = telemetry.Sent - producedBefore;
        var applied = await ReadMetricAsync(platform, AppliedMetric) - appliedBefore;
        var lag = await ReadMetricAsync(platform, LagMetric);
        return new GetRun(target, result, seconds, applied, produced, lag, cpu);
    }

    private static void Print(GetBenchSettings settings, IReadOnlyList<GetRun> runs)
    {
        Console.WriteLine();
        Console.WriteLine($"  {"Target",-9} {"Requests/s",11} {"p50 ms",8} {"p90 ms",8} {"p99 ms",8} {"max ms",8} {"non-2xx",8} {"socket err",10} {"bytes/resp",10} {"telemetry applied/s",19} {"produced/s",10} {"lag at end",10}");
        foreach (var run in runs)
        {
            var w = run.Wrk;
            Console.WriteLine($"  {run.Target,-9} {w.RequestsPerSecond,11:N0} {w.P50,8:N2} {w.P90,8:N2} {w.P99,8:N2} {w.Max,8:N2} {w.NonSuccess,8:N0} {w.SocketErrors,10:N0} {w.BytesPerResponse,10:N0} {run.AppliedPerSecond,19:N0} {run.ProducedPerSecond,10:N0} {run.Lag,10:N0}");
        }

        var baseline = runs.Single(r => r.Target == "baseline");
        var platform = runs.Single(r => r.Target == "platform");
        Console.WriteLine($"  platform/baseline: requests/s {platform.Wrk.RequestsPerSecond / baseline.Wrk.RequestsPerSecond:P0}, p99 {platform.Wrk.P99 / baseline.Wrk.P99:N1}x; telemetry target {settings.Rate:N0} records/s");
        Console.WriteLine();
        Console.WriteLine($"  CPU, cores busy     {"silo",6} {"baseline",8} {"kafka",6} {"redis",6} {"bench",6} {"rest (wrk)",10} {"machine",8} {"server CPU/request",18}");
        foreach (var run in runs)
        {
            var c = run.Cpu;
            var server = run.Target == "baseline" ? c.BaselineServer : c.Silo;
            Console.WriteLine($"  {run.Target,-19} {c.Silo / run.Seconds,6:N2} {c.BaselineServer / run.Seconds,8:N2} {c.Kafka / run.Seconds,6:N2} {c.Redis / run.Seconds,6:N2} {c.Bench / run.Seconds,6:N2} {c.Rest / run.Seconds,10:N2} {c.Machine / run.Seconds,8:N2} {server * 1e6 / run.Wrk.Requests,15:N0} us");
        }

        // The silo also applies telemetry in both runs; its CPU rate during the baseline run is that share.
        var marginal = (platform.Cpu.Silo / platform.Seconds - baseline.Cpu.Silo / baseline.Seconds) * platform.Seconds / platform.Wrk.Requests;
        Console.WriteLine($"  silo CPU per GET above its rate during the baseline run (telemetry and idle work): {marginal * 1e6:N0} us; baseline server CPU per GET: {baseline.Cpu.BaselineServer * 1e6 / baseline.Wrk.Requests:N0} us");
    }

    internal static Dictionary<string, string> SiloEnvironment(string bootstrap, Uri api, RedisChild? redis, IReadOnlyDictionary<string, string> siloSettings)
    {
        var group = "bench-get-" + Guid.NewGuid().ToString("N")[..8];
        var environment = new Dictionary<string, string>
        {
            ["Kafka__BootstrapServers"] = bootstrap,
            ["Kafka__ConsumerGroup"] = group,
            ["Simulator__Enabled"] = "false",
            ["Api__Urls"] = api.ToString().TrimEnd('/'),
            ["Orleans__SiloPort"] = TestHost.FreePort().ToString(CultureInfo.InvariantCulture),
            ["Orleans__GatewayPort"] = TestHost.FreePort().ToString(CultureInfo.InvariantCulture),
            // Several silos share this machine: each MQTT bridge takes a free port rather than 1883.
            ["Mqtt__Port"] = "0",
            ["Orleans__ServiceId"] = group,
            ["Orleans__ClusterId"] = group,
            ["Logging__LogLevel__Default"] = "Warning",
        };
        if (redis is not null)
        {
            environment["Redis__ConnectionString"] = redis.ConnectionString;
        }

        foreach (var (key, value) in siloSettings)
        {
            environment[key] = value;
            Console.WriteLine($"  silo setting        {key.Replace("__", ":", StringComparison.Ordinal)}={value}");
        }

        return environment;
    }

    // Sums every series of a counter or gauge in the silo's Prometheus text.
    internal static async Task<double> ReadMetricAsync(HttpClient http, string metric)
    {
        var text = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        return text.Split('\n')
            .Where(l => l.StartsWith(metric + " ", StringComparison.Ordinal) || l.StartsWith(metric + "{", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }
}
