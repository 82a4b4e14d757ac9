using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Confluent.Kafka;
using DeviceTwins.Testing;

namespace DeviceTwins.Bench;

/// <summary>
/// End-to-end throughput of one silo against the standalone embedded Kafka cluster, beside a plain consumer loop
/// doing the same twin update, both over the same records in the same run.
/// </summary>
internal static class EndToEndBenchmark
{
    public static async Task<int> RunAsync(string[] args) => (await RunAsync(BenchSettings.Parse(args))).ExitCode;

    /// <summary>One run: its exit code (0 when every count was verified) and the silo's settled memory.</summary>
    public static async Task<EndToEndResult> RunAsync(BenchSettings settings)
    {
        var work = Directory.CreateTempSubdirectory("devicetwins-bench-").FullName;
        var storage = settings.Redis is null ? "memory" : "redis";
        Console.WriteLine($"DeviceTwins benchmark: {settings.Records:N0} records, {settings.Devices:N0} devices, {settings.Partitions} partitions, twin state in {storage}, {Environment.ProcessorCount} cores");

        await using var kafka = PlatformProcess.Start(settings.SiloAssembly, "embedded-kafka", work, new Dictionary<string, string>
        {
            ["Kafka__TelemetryPartitions"] = settings.Partitions.ToString(CultureInfo.InvariantCulture),
        }, "embedded-kafka");
        var bootstrap = await ReadBootstrapAsync(work, kafka);

        var produceRate = await TelemetryLoad.ProduceAsync(bootstrap, settings.Devices, settings.Records);
        EnsureNothingTrimmed(bootstrap, settings.Partitions, settings.Records);
        Console.WriteLine($"  produced            {produceRate,12:N0} records/s");

        var baseline = BaselineConsumer.Run(bootstrap, settings.Partitions, settings.Records);
        // The loop's twins are garbage now: give their memory back, so the silo has the machine (1M twins are gigabytes).
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        Console.WriteLine($"  baseline loop       {baseline.RecordsPerSecond,12:N0} records/s  ({baseline.Applied:N0} applied to {baseline.Twins:N0} twins, every detector and window on, {baseline.Outputs:N0} alerts and windows produced)");

        var group = "bench-silo-" + Guid.NewGuid().ToString("N")[..8];
        var apiPort = TestHost.FreePort();
        var environment = new Dictionary<string, string>
        {
            ["Kafka__BootstrapServers"] = bootstrap,
            ["Kafka__ConsumerGroup"] = group,
            ["Kafka__CommitInterval"] = "00:00:00.100",
            // The embedded cluster holds an empty fetch for the whole fetch wait, whatever arrives meanwhile (a real broker
            // answers at once): keep it short, as the all-in-one platform does with its own embedded cluster.
            ["Kafka__FetchWaitMax"] = "00:00:00.010",
            ["Simulator__Enabled"] = "false",
            ["Api__Urls"] = $"http://127.0.0.1:{apiPort}",
            ["Orleans__SiloPort"] = TestHost.FreePort().ToString(CultureInfo.InvariantCulture),
            ["Orleans__GatewayPort"] = TestHost.FreePort().ToString(CultureInfo.InvariantCulture),
            // Several silos share this machine: each MQTT bridge takes a free port rather than 1883.
            ["Mqtt__Port"] = "0",
            ["Orleans__ServiceId"] = group,
            ["Orleans__ClusterId"] = group,
            ["Logging__LogLevel__Default"] = "Warning",
        };
        if (settings.Redis is not null)
        {
            environment["Redis__ConnectionString"] = settings.Redis;
        }

        foreach (var (key, value) in BenchAnalytics.SiloSettings())
        {
            environment[key] = value;
        }

        foreach (var (key, value) in settings.SiloSettings)
        {
            environment[key] = value;
            Console.WriteLine($"  silo setting        {key.Replace("__", ":", StringComparison.Ordinal)}={value}");
        }

        await using var silo = PlatformProcess.Start(settings.SiloAssembly, "silo", work, environment);
        using var http = PlatformProcess.ApiClient(new Uri($"http://127.0.0.1:{apiPort}"), TimeSpan.FromSeconds(60));
        Console.WriteLine($"  silo log            {Path.Combine(work, "silo.log")} (written as it runs)");
        await silo.WaitUntilHealthyAsync(http, TimeSpan.FromSeconds(90));
        await using var redis = settings.Redis is null ? null : await RedisFootprint.StartAsync(settings.Redis);
        var clock = Stopwatch.StartNew();
        var (startRss, _) = silo.Memory();
        var warmupRecords = (long)settings.WarmupRounds * settings.Devices;
        using var sampling = new CancellationTokenSource();
        var samples = SampleAppliedAsync(http, clock, sampling.Token);
        await WaitForCommitsAsync(bootstrap, group, settings.Partitions, settings.Records, silo);
        var elapsed = clock.Elapsed;
        await sampling.CancelAsync();
        var applyCurve = await samples;
        var (endRss, peakRss) = silo.Memory();
        var coldRate = settings.Records / elapsed.TotalSeconds;

        // Sustained: the silo's own count of durably applied records, sampled every 50 ms, between the end of the
        // warm-up rounds (every twin active) and 95 % of all records; only when enough samples fall in between.
        var window = applyCurve.Where(p => p.Applied >= warmupRecords && p.Applied <= settings.Records * 0.95).ToList();
        var sustained = window.Count >= 10
            ? $"{(window[^1].Applied - window[0].Applied) / (window[^1].At - window[0].At).TotalSeconds,12:N0} records/s  (records applied between {window[0].Applied:N0} and {window[^1].Applied:N0}, every twin active)"
            : $"{"n/a",12}  (fewer than 10 samples between the warm-up and 95 %: the run is short for reads of this size)";
        var sustainedRatio = window.Count >= 10
            ? ((window[^1].Applied - window[0].Applied) / (window[^1].At - window[0].At).TotalSeconds / baseline.RecordsPerSecond).ToString("P0", CultureInfo.InvariantCulture)
            : "n/a";

        var redisLines = redis is null ? [] : await redis.DescribeAsync(settings.Records, settings.Devices, group, TelemetryLoad.DeviceId(settings.Devices / 2));
        var perDevice = settings.Records / settings.Devices;
        long applied;
        int wrong, missing = 0;
        string how;
        if (settings.VerifyFromStore)
        {
            (applied, wrong, missing) = await StoredCounts.VerifyAsync(settings.Redis!, group, settings.Devices, perDevice);
            how = "read from the twin store's summaries";
        }
        else
        {
            (applied, wrong) = await VerifyTwinsAsync(http, settings.Devices, perDevice);
            how = "over HTTP";
        }

        var deadLettered = CountRecords(bootstrap, "iot.telemetry.dlq");
        Console.WriteLine($"  silo, from start    {coldRate,12:N0} records/s  ({elapsed.TotalSeconds:F2} s until every offset was committed behind durable state, {settings.Devices:N0} activations included)");
        Console.WriteLine($"  silo, sustained     {sustained}");
        Console.WriteLine($"  ratio from start/baseline {coldRate / baseline.RecordsPerSecond:P0}; sustained/baseline {sustainedRatio}");
        Console.WriteLine($"  silo peak RSS       {peakRss / 1048576.0,12:N0} MiB; RSS at start {startRss / 1048576.0:N0} MiB, at end {endRss / 1048576.0:N0} MiB");
        Console.WriteLine($"  memory per twin     {(endRss - startRss) / (double)settings.Devices,12:N0} bytes (RSS growth / devices)");
        var (settledHeap, settledRss, gen2Before, gen2After, waited) = await SettledMemory.MeasureAsync(silo, http);
        Console.WriteLine(gen2After > gen2Before
            ? $"  full collection     induced: gen2 collections {gen2Before} -> {gen2After} after {waited.TotalSeconds:F1} s"
            : $"  full collection     NOT seen within {waited.TotalSeconds:F0} s (gen2 collections stayed at {gen2Before}): the settled figures below are not settled");
        Console.WriteLine($"  settled memory      {settledHeap / (double)settings.Devices,12:N0} bytes of GC heap per twin, {settledRss / (double)settings.Devices:N0} bytes of RSS per twin (after a full collection induced once every record was applied: heap {settledHeap / 1048576.0:N0} MiB, RSS {settledRss / 1048576.0:N0} MiB, silo's fixed costs included; the marginal cost is the difference between two fleet sizes)");
        var active = await SettledMemory.SumAsync(http, "devicetwins_twins_active");
        Console.WriteLine($"  active twins        {active,12:N0} of {settings.Devices:N0} at the end ({settings.Devices - active:N0} deactivated, shed under memory pressure when Silo:ShedActivationsAbovePercent is reached)");
        foreach (var line in redisLines)
        {
            Console.WriteLine($"  redis               {line}");
        }

        Console.WriteLine($"  verified            {applied:N0} records applied {how}, {wrong} twins with a wrong count, {missing} missing, {deadLettered} dead-lettered");

        var throughputStages = await StageHistograms.ScrapeAsync(http);
        var latency = await LatencyProbe.RunAsync(bootstrap, settings.Devices, settings.LatencyRate, TimeSpan.FromSeconds(settings.LatencySeconds), settings.AnomalyEvery);
        Console.WriteLine($"  alert latency       p50 {latency.P50,8:N1} ms, p99 {latency.P99:N1} ms, max {latency.Max:N1} ms  (produce to alert read from iot.alerts; {latency.Alerts} of {latency.Anomalies} injected anomalies, live telemetry at {settings.LatencyRate:N0} records/s for {settings.LatencySeconds} s)");
        Console.WriteLine("  stages in the silo during the latency phase (its histograms, /metrics):");
        foreach (var line in (await StageHistograms.ScrapeAsync(http)).Since(throughputStages))
        {
            Console.WriteLine("    " + line);
        }
        return new EndToEndResult(wrong == 0 && missing == 0 && applied == settings.Records && deadLettered == 0 ? 0 : 1, settledHeap, settledRss);
    }

    private static long CountRecords(string bootstrap, string topic)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        var partitions = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Count;
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = "bench-check" }).Build();
        return Enumerable.Range(0, partitions).Sum(p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)).High.Value);
    }

    internal static async Task<string> ReadBootstrapAsync(string work, PlatformProcess kafka)
    {
        var file = Path.Combine(work, ".devicetwins", "bootstrap.servers");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!File.Exists(file))
        {
            if (kafka.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException(kafka.Describe());
            }

            await Task.Delay(50);
        }

        return (await File.ReadAllTextAsync(file)).Trim();
    }

    private static void EnsureNothingTrimmed(string bootstrap, int partitions, int records)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = "bench-check" }).Build();
        long total = 0;
        for (var p = 0; p < partitions; p++)
        {
            var marks = consumer.QueryWatermarkOffsets(new TopicPartition(TelemetryLoad.Topic, p), TimeSpan.FromSeconds(10));
            if (marks.Low.Value > 0)
            {
                throw new InvalidOperationException($"Partition {p} was trimmed by the embedded cluster's 5 MiB cap (low watermark {marks.Low}); use more partitions.");
            }

            total += marks.High.Value;
        }

        if (total != records)
        {
            throw new InvalidOperationException($"Expected {records} records on the topic, found {total}.");
        }
    }

    private static async Task<List<(TimeSpan At, double Applied)>> SampleAppliedAsync(HttpClient http, Stopwatch clock, CancellationToken cancellationToken)
    {
        var samples = new List<(TimeSpan, double)>();
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var metrics = await http.GetStringAsync("/metrics", cancellationToken);
                var applied = metrics.Split('\n')
                    .Where(l => l.StartsWith("devicetwins_twins_records_applied_total", StringComparison.Ordinal))
                    .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
                samples.Add((clock.Elapsed, applied));
                await Task.Delay(50, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }

        return samples;
    }

    private static async Task WaitForCommitsAsync(string bootstrap, string group, int partitions, long records, PlatformProcess silo)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = group, EnableAutoCommit = false }).Build();
        var topicPartitions = Enumerable.Range(0, partitions).Select(p => new TopicPartition(TelemetryLoad.Topic, p)).ToList();
        // 20 minutes, or longer for a fleet whose records need it at 1,000 records/s.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(Math.Max(20 * 60, records / 1_000));
        while (true)
        {
            var committed = consumer.Committed(topicPartitions, TimeSpan.FromSeconds(10)).Sum(c => c.Offset.Value < 0 ? 0 : c.Offset.Value);
            if (committed >= records)
            {
                return;
            }

            if (silo.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"Only {committed} of {records} offsets committed.\n{silo.Describe()}");
            }

            await Task.Delay(20);
        }
    }

    private static async Task<(long Applied, int Wrong)> VerifyTwinsAsync(HttpClient http, int devices, long perDevice)
    {
        long applied = 0;
        var wrong = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, devices), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var twin = await http.GetFromJsonAsync<JsonElement>("/api/devices/" + TelemetryLoad.DeviceId(i), ct);
            var count = twin.GetProperty("messageCount").GetInt64();
            Interlocked.Add(ref applied, count);
            if (count != perDevice)
            {
                Interlocked.Increment(ref wrong);
            }
        });
        return (applied, wrong);
    }
}
