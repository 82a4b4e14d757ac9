using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using DeviceTwins.Testing;
using MQTTnet;
using MQTTnet.Protocol;

namespace DeviceTwins.Bench;

/// <summary>
/// Devices over MQTT beside devices over Kafka, on one all-in-one silo (embedded Kafka, twins in memory): first a plain
/// Kafka producer (the baseline, acks=all, no linger), then N MQTT devices publishing QoS 1 through the bridge (each waits
/// for its PUBACK, as a device with a buffer does), at the same total rate; per path the records/s reached and
/// publish-to-twin latency, taken from twin change streams of probe devices (the event of a record's state, durable).
/// Then commands round-tripped to the MQTT devices, which answer each at once and count what they ran.
/// </summary>
internal static class MqttBenchmark
{
    private const int Probes = 20;

    public static async Task<int> RunAsync(string[] args)
    {
        var devices = Arg(args, "--devices", 500);
        var rate = Arg(args, "--rate", 1000);
        var seconds = Arg(args, "--seconds", 20);
        var commands = Arg(args, "--commands", 500);
        var work = Directory.CreateTempSubdirectory("devicetwins-mqttbench-").FullName;
        Console.WriteLine($"DeviceTwins MQTT benchmark: {devices:N0} devices per path, {rate:N0} records/s per path, {seconds} s per phase, {commands:N0} commands, {Environment.ProcessorCount} cores shared by every process");
        var siloAssembly = BenchSettings.SiloAssemblyPath();
        await using var kafka = PlatformProcess.Start(siloAssembly, "embedded-kafka", work, new Dictionary<string, string>(), "embedded-kafka");
        var bootstrap = await EndToEndBenchmark.ReadBootstrapAsync(work, kafka);
        var platformUri = new Uri($"http://127.0.0.1:{TestHost.FreePort()}");
        var mqttPort = TestHost.FreePort();
        var environment = Get.GetBenchmark.SiloEnvironment(bootstrap, platformUri, redis: null, new Dictionary<string, string>());
        environment["Mqtt__Port"] = mqttPort.ToString(CultureInfo.InvariantCulture);
        environment["Mqtt__BindAddress"] = "127.0.0.1";
        await using var silo = PlatformProcess.Start(siloAssembly, "silo", work, environment);
        using var http = PlatformProcess.ApiClient(platformUri, TimeSpan.FromSeconds(300));
        await silo.WaitUntilHealthyAsync(http, TimeSpan.FromSeconds(90));
        await Eventually.Until(async () => (await http.GetAsync(new Uri("/health/ready", UriKind.Relative))).IsSuccessStatusCode, ok => ok, TimeSpan.FromSeconds(60), "the silo ready");

        // Phase 1, the baseline: a Kafka producer.
        var kafkaIds = Enumerable.Range(0, devices).Select(i => $"kafka-{i:D5}").ToArray();
        var kafkaPhase = await RunPhaseAsync("kafka producer", http, kafkaIds, rate, seconds, (ids, stop) => ProduceKafkaAsync(bootstrap, ids, rate, stop));

        // Phase 2: the same load over MQTT, QoS 1.
        var mqttIds = Enumerable.Range(0, devices).Select(i => $"mqtt-{i:D5}").ToArray();
        var fleet = await MqttFleet.ConnectAsync(http, mqttIds, mqttPort);
        var mqttPhase = await RunPhaseAsync("mqtt qos 1", http, mqttIds, rate, seconds, (ids, stop) => fleet.PublishAsync(rate, stop));
        Console.WriteLine($"  PUBACK (Kafka acknowledged), {fleet.Acknowledged.Count:N0} publishes: p50 {Percentile(fleet.Acknowledged, 0.5):N1} ms, p99 {Percentile(fleet.Acknowledged, 0.99):N1} ms, {fleet.Failed:N0} failed");
        Console.WriteLine($"  mqtt / kafka: records/s {mqttPhase.Rate / kafkaPhase.Rate:N2}x, publish-to-twin p50 {mqttPhase.P50 / kafkaPhase.P50:N2}x, p99 {mqttPhase.P99 / kafkaPhase.P99:N2}x");

        // Phase 3: commands to the MQTT devices, one in flight per device.
        await CommandsAsync(http, bootstrap, fleet, commands);
        await fleet.DisposeAsync();
        return 0;
    }

    private static async Task<(double Rate, double P50, double P99)> RunPhaseAsync(
        string name, HttpClient http, string[] ids, int rate, int seconds, Func<string[], CancellationToken, Task<long>> load)
    {
        using var stop = new CancellationTokenSource();
        var probes = new TwinProbes(http, ids.Take(Probes).ToArray());
        await probes.OpenAsync(stop.Token);
        var clock = Stopwatch.StartNew();
        var running = load(ids, stop.Token);
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        await stop.CancelAsync();
        var sent = await running;
        var elapsed = clock.Elapsed.TotalSeconds;
        await Task.Delay(2000);
        var latencies = probes.Latencies.ToList();
        Console.WriteLine($"  {name,-15} {sent:N0} records in {elapsed:N1} s = {sent / elapsed:N0} records/s (goal {rate:N0}); publish-to-twin ({latencies.Count:N0} probe records): p50 {Percentile(latencies, 0.5):N1} ms, p99 {Percentile(latencies, 0.99):N1} ms, max {Percentile(latencies, 1):N1} ms");
        await probes.DisposeAsync();
        return (sent / elapsed, Percentile(latencies, 0.5), Percentile(latencies, 0.99));
    }

    private static async Task<long> ProduceKafkaAsync(string bootstrap, string[] ids, int rate, CancellationToken stop)
    {
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = bootstrap, EnableIdempotence = true, Acks = Acks.All, LingerMs = 0 }).Build();
        var keys = ids.Select(Encoding.UTF8.GetBytes).ToArray();
        long sent = 0;
        var clock = Stopwatch.StartNew();
        while (!stop.IsCancellationRequested)
        {
            // Paced: as many records as the clock owes, one device after another.
            var owed = (long)(clock.Elapsed.TotalSeconds * rate) - sent;
            for (var i = 0; i < owed; i++, sent++)
            {
                var d = (int)(sent % ids.Length);
                producer.Produce("iot.telemetry", new Message<byte[], byte[]> { Key = keys[d], Value = Record(ids[d], sent / ids.Length) });
            }

            await Task.Delay(5, CancellationToken.None);
        }

        producer.Flush(TimeSpan.FromSeconds(30));
        return sent;
    }

    // Event time = publish time (ms), so the probe's latency is the twin's event minus this.
    internal static byte[] Record(string id, long seq) =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $$$"""{"deviceId":"{{{id}}}","ts":{{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}},"metrics":{"seq":{{{seq}}},"temperature":21.5}}"""));

    private static async Task CommandsAsync(HttpClient http, string bootstrap, MqttFleet fleet, int count)
    {
        var done = new ConcurrentDictionary<string, double>(StringComparer.Ordinal);
        var posted = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        using var stop = new CancellationTokenSource();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reader = Task.Run(() => ReadOutcomes(bootstrap, posted, done, ready, stop.Token));
        await ready.Task;
        var clock = Stopwatch.StartNew();
        // One command in flight per device at a time: devices take turns; each POST's time is the start.
        var perDevice = (count + fleet.Ids.Length - 1) / fleet.Ids.Length;
        var senders = fleet.Ids.Take(count).Select(id => Task.Run(async () =>
        {
            for (var i = 0; i < perDevice; i++)
            {
                var started = Stopwatch.GetTimestamp();
                using var content = new StringContent("""{"name":"selftest","payload":{"level":1},"timeout":"PT1M"}""", Encoding.UTF8, "application/json");
                using var response = await http.PostAsync(new Uri($"/api/devices/{id}/commands", UriKind.Relative), content);
                var commandId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
                posted[commandId] = started;
                await Eventually.Until(() => Task.FromResult(done.ContainsKey(commandId)), d => d, TimeSpan.FromSeconds(60), $"command {commandId} succeeded");
            }
        })).ToList();
        await Task.WhenAll(senders);
        var elapsed = clock.Elapsed.TotalSeconds;
        await Task.Delay(2000);
        await stop.CancelAsync();
        await reader;
        var latencies = done.Values.ToList();
        Console.WriteLine($"  commands        {posted.Count:N0} posted, {done.Count:N0} succeeded in {elapsed:N1} s; POST to succeeded p50 {Percentile(latencies, 0.5):N1} ms, p99 {Percentile(latencies, 0.99):N1} ms; lost {posted.Count - done.Count}, run twice {fleet.RunTwice}, deliveries {fleet.Deliveries:N0}");
    }

    private static void ReadOutcomes(string bootstrap, ConcurrentDictionary<string, long> posted, ConcurrentDictionary<string, double> done, TaskCompletionSource ready, CancellationToken stop)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = "mqtt-bench-" + Guid.NewGuid().ToString("N"), EnableAutoCommit = false, FetchWaitMaxMs = 5 }).Build();
        using (var admin = new DependentAdminClientBuilder(consumer.Handle).Build())
        {
            var partitions = admin.GetMetadata("iot.commands.events", TimeSpan.FromSeconds(10)).Topics[0].Partitions.Select(p => p.PartitionId);
            consumer.Assign(partitions.Select(p => new TopicPartitionOffset("iot.commands.events", p, consumer.QueryWatermarkOffsets(new TopicPartition("iot.commands.events", p), TimeSpan.FromSeconds(10)).High)));
        }

        ready.SetResult();
        while (!stop.IsCancellationRequested)
        {
            var record = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (record?.Message?.Value is not { } value)
            {
                continue;
            }

            var now = Stopwatch.GetTimestamp();
            var change = JsonDocument.Parse(value).RootElement;
            if (change.GetProperty("state").GetString() == "succeeded")
            {
                var id = change.GetProperty("commandId").GetString()!;
                // The POST may answer after the outcome arrives: wait for its start time.
                var spin = new SpinWait();
                while (!posted.ContainsKey(id) && !stop.IsCancellationRequested)
                {
                    spin.SpinOnce();
                }

                if (posted.TryGetValue(id, out var started))
                {
                    done[id] = Stopwatch.GetElapsedTime(started, now).TotalMilliseconds;
                }
            }
        }
    }

    internal static double Percentile(IReadOnlyCollection<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * p))];
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
