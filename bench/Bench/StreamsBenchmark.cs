using System.Diagnostics;
using System.Globalization;
using DeviceTwins.Bench.Get;
using DeviceTwins.Testing;

namespace DeviceTwins.Bench;

/// <summary>
/// Many event-stream clients on one all-in-one silo: twin GET latency and the silo's health and threads with no
/// stream open (the baseline, measured first in the same run), then with N alert streams, N twin change streams and N
/// fleet change streams open while telemetry raises alerts.
/// </summary>
internal static class StreamsBenchmark
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    public static async Task<int> RunAsync(string[] args)
    {
        var clients = Arg(args, "--clients", 1000);
        var devices = Arg(args, "--devices", 1000);
        var seconds = Arg(args, "--seconds", 20);
        var rate = Arg(args, "--rate", 500);
        var work = Directory.CreateTempSubdirectory("devicetwins-streambench-").FullName;
        Console.WriteLine($"DeviceTwins stream benchmark: {clients:N0} clients of each stream kind, {devices:N0} devices, telemetry {rate:N0} records/s, {seconds} s per phase, {Environment.ProcessorCount} cores shared by every process");
        var siloAssembly = BenchSettings.SiloAssemblyPath();
        await using var kafka = PlatformProcess.Start(siloAssembly, "embedded-kafka", work, new Dictionary<string, string>(), "embedded-kafka");
        var bootstrap = await EndToEndBenchmark.ReadBootstrapAsync(work, kafka);
        var platformUri = new Uri($"http://127.0.0.1:{TestHost.FreePort()}");
        var settings = new Dictionary<string, string>(BenchAnalytics.SiloSettings())
        {
            // The live telemetry's humidity of every tenth device steps from 40.0 to 40.6 and back every 7 rounds: each of
            // those devices raises and clears the threshold rule every 7 rounds, so alert changes flow during both phases.
            ["Analytics__Rules__0__Metrics__0"] = "humidity",
            ["Analytics__Rules__0__Threshold__RaiseAbove"] = "40.55",
            ["Analytics__Rules__0__Threshold__ClearBelow"] = "40.15",
            // One key opens every stream of the benchmark.
            ["Api__Limits__MaxStreamsPerCredential"] = (3 * clients).ToString(CultureInfo.InvariantCulture),
            ["Api__Limits__MaxStreams"] = (3 * clients + 100).ToString(CultureInfo.InvariantCulture),
        };
        await using var silo = PlatformProcess.Start(siloAssembly, "silo", work, GetBenchmark.SiloEnvironment(bootstrap, platformUri, redis: null, settings));
        using var http = PlatformProcess.ApiClient(platformUri, TimeSpan.FromSeconds(300));
        await silo.WaitUntilHealthyAsync(http, StartTimeout);
        await using var telemetry = new LiveTelemetry(bootstrap, devices);
        await telemetry.PreloadAsync();
        await Eventually.Until(() => GetBenchmark.ReadMetricAsync(http, "devicetwins_twins_records_applied_total"), applied => applied >= devices, TimeSpan.FromMinutes(5), "one record per device applied");
        telemetry.Start(rate);

        var idle = await MeasureAsync("no streams", http, devices, TimeSpan.FromSeconds(seconds), silo);

        using var streamHttp = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue }) { BaseAddress = platformUri, Timeout = Timeout.InfiniteTimeSpan };
        streamHttp.DefaultRequestHeaders.Add("X-Api-Key", PlatformProcess.ApiKey);
        using var stop = new CancellationTokenSource();
        var counters = new Dictionary<string, StreamCounter>
        {
            ["alerts"] = new(),
            ["twin changes"] = new(),
            ["fleet changes"] = new(),
        };
        var readers = new List<Task>();
        var opening = Stopwatch.StartNew();
        for (var i = 0; i < clients; i++)
        {
            readers.Add(ReadAsync(streamHttp, "/api/alerts/stream", counters["alerts"], stop.Token));
            readers.Add(ReadAsync(streamHttp, $"/api/devices/{TelemetryLoad.DeviceId(i % devices)}/changes", counters["twin changes"], stop.Token));
            readers.Add(ReadAsync(streamHttp, "/api/fleet/changes?limit=10", counters["fleet changes"], stop.Token));
        }

        await Eventually.Until(() => Task.FromResult(counters.Values.Sum(c => c.Open + c.Refused + c.Failed)), n => n >= 3 * clients, TimeSpan.FromMinutes(5), "every stream opened or refused");
        Console.WriteLine($"  opened              {counters.Values.Sum(c => c.Open):N0} streams in {opening.Elapsed.TotalSeconds:N1} s ({string.Join(", ", counters.Select(c => $"{c.Key}: {c.Value.Open:N0} open, {c.Value.Refused:N0} refused, {c.Value.Failed:N0} failed"))})");
        var eventsBefore = counters.ToDictionary(c => c.Key, c => c.Value.Events);
        var busy = await MeasureAsync($"{3 * clients:N0} streams", http, devices, TimeSpan.FromSeconds(seconds), silo);
        Console.WriteLine($"  events received     {string.Join(", ", counters.Select(c => $"{c.Key}: {c.Value.Events - eventsBefore[c.Key]:N0}"))} during the phase");
        var attached = await GetBenchmark.ReadMetricAsync(http, "devicetwins_api_alert_feed_streams");
        Console.WriteLine($"  alert feed          {attached:N0} alert streams attached to the one shared reader");
        Console.WriteLine($"  twin GET p99 with streams / without: {busy.P99 / idle.P99:N2}x ({busy.P99:N1} ms / {idle.P99:N1} ms); goal p99 <= 50 ms");

        await stop.CancelAsync();
        await Task.WhenAll(readers);
        await telemetry.StopAsync();
        return 0;
    }

    private static async Task<(double P50, double P99)> MeasureAsync(string phase, HttpClient http, int devices, TimeSpan duration, PlatformProcess silo)
    {
        var latencies = new List<double>();
        var failures = 0;
        var clock = Stopwatch.StartNew();
        for (var i = 0; clock.Elapsed < duration; i++)
        {
            var one = Stopwatch.StartNew();
            using var response = await http.GetAsync(new Uri("/api/devices/" + TelemetryLoad.DeviceId(i % devices), UriKind.Relative));
            await response.Content.ReadAsByteArrayAsync();
            latencies.Add(one.Elapsed.TotalMilliseconds);
            failures += response.IsSuccessStatusCode ? 0 : 1;
        }

        var ready = Stopwatch.StartNew();
        using var health = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));
        var readyMs = ready.Elapsed.TotalMilliseconds;
        latencies.Sort();
        var p50 = latencies[latencies.Count / 2];
        var p99 = latencies[(int)(latencies.Count * 0.99)];
        var (rss, _) = silo.Memory();
        Console.WriteLine($"  {phase,-19} twin GET {latencies.Count:N0} requests, p50 {p50:N1} ms, p99 {p99:N1} ms, max {latencies[^1]:N1} ms, {failures} failed; /health/ready {(int)health.StatusCode} in {readyMs:N0} ms; silo {Threads(silo.Id)} threads, RSS {rss / (1024 * 1024):N0} MiB");
        return (p50, p99);
    }

    private static async Task ReadAsync(HttpClient http, string path, StreamCounter counter, CancellationToken stop)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, stop);
            if (!response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref counter.Refused);
                return;
            }

            Interlocked.Increment(ref counter.Open);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop));
            while (await reader.ReadLineAsync(stop) is { } line)
            {
                if (line.StartsWith("event:", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref counter.Events);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (HttpRequestException)
        {
            Interlocked.Increment(ref counter.Failed);
        }
    }

    private static string Threads(int pid)
    {
        var status = $"/proc/{pid}/status";
        return File.Exists(status)
            ? File.ReadLines(status).FirstOrDefault(l => l.StartsWith("Threads:", StringComparison.Ordinal))?[8..].Trim() ?? "?"
            : "?";
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private sealed class StreamCounter
    {
        public int Open;
        public int Refused;
        public int Failed;
        public long Events;
    }
}
