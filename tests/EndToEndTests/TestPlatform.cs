using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using DeviceTwins.Testing;

namespace DeviceTwins.EndToEndTests;

/// <summary>
/// One isolated platform run: a standalone embedded Kafka cluster process and silo processes with real Redis,
/// each in its own working directory, ports and Orleans service id, driven through kcat and HTTP.
/// </summary>
internal sealed class TestPlatform : IAsyncDisposable
{
    private readonly List<PlatformProcess> _processes = [];
    private readonly Dictionary<int, (int SiloPort, int GatewayPort, HttpClient Http)> _slots = [];
    private readonly string _serviceId = "e2e-" + Guid.NewGuid().ToString("N")[..10];

    public TestPlatform()
    {
        WorkingDirectory = Directory.CreateTempSubdirectory("devicetwins-e2e-").FullName;
        Http = Slot(0).Http;
    }

    public string WorkingDirectory { get; }

    public string BootstrapServers { get; private set; } = string.Empty;

    public HttpClient Http { get; }

    public PlatformProcess? Kafka { get; private set; }

    public string Diagnostics => string.Join("\n\n", _processes.Select(p => p.Describe()));

    /// <summary>The URL of the standalone cluster's fault-injection control API, read from .devicetwins/kafka-control.</summary>
    public Uri? KafkaControl { get; private set; }

    /// <summary>Starts "DeviceTwins.Silo embedded-kafka" with <paramref name="brokers"/> brokers and waits for its bootstrap and control files.</summary>
    public async Task StartKafkaAsync(int brokers = 1)
    {
        Kafka = Track(PlatformProcess.Start(TestEnvironment.SiloAssembly, "embedded-kafka", WorkingDirectory, new Dictionary<string, string>(), "embedded-kafka", $"--Kafka:EmbeddedBrokers={brokers}"));
        var directory = Path.Combine(WorkingDirectory, ".devicetwins");
        var bootstrapFile = Path.Combine(directory, "bootstrap.servers");
        // The control file is written last, once the control API listens.
        var controlFile = Path.Combine(directory, "kafka-control");
        var kafka = Kafka;
        await Eventually.Until(
            () => Task.FromResult(File.Exists(controlFile) || kafka.HasExited),
            ready => ready,
            TimeSpan.FromSeconds(60),
            _ => "the embedded Kafka cluster's bootstrap and control files.\n" + Diagnostics);
        if (!File.Exists(controlFile))
        {
            throw new InvalidOperationException("The embedded Kafka cluster exited before writing its control file.\n" + Diagnostics);
        }

        BootstrapServers = (await File.ReadAllTextAsync(bootstrapFile)).Trim();
        KafkaControl = new Uri((await File.ReadAllLinesAsync(controlFile))[0]);
    }

    /// <summary>The co-hosted API of the silo in <paramref name="slot"/>.</summary>
    public HttpClient ApiOf(int slot) => Slot(slot).Http;

    /// <summary>
    /// Starts a silo with Redis storage and clustering, and waits until its API answers. Each slot has fixed ports,
    /// so a silo restarted in the same slot takes the place of the one before it, as a rescheduled pod would.
    /// </summary>
    public async Task<PlatformProcess> StartSiloAsync(string name, int slot = 0, IReadOnlyDictionary<string, string>? settings = null)
    {
        var (siloPort, gatewayPort, http) = Slot(slot);
        var environment = new Dictionary<string, string>
        {
            ["Kafka__BootstrapServers"] = BootstrapServers,
            ["Redis__ConnectionString"] = TestEnvironment.Redis,
            ["Orleans__ServiceId"] = _serviceId,
            ["Orleans__ClusterId"] = _serviceId,
            ["Orleans__SiloPort"] = siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orleans__GatewayPort"] = gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // Several silos share this machine: each MQTT bridge takes a free port rather than 1883.
            ["Mqtt__Port"] = "0",
            ["Api__Urls"] = http.BaseAddress!.ToString().TrimEnd('/'),
            ["Simulator__Enabled"] = "false",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        var silo = Track(PlatformProcess.Start(TestEnvironment.SiloAssembly, name, WorkingDirectory, environment));
        await silo.WaitUntilHealthyAsync(http, TimeSpan.FromSeconds(90));
        return silo;
    }

    private (int SiloPort, int GatewayPort, HttpClient Http) Slot(int slot)
    {
        if (!_slots.TryGetValue(slot, out var ports))
        {
            var api = PlatformProcess.ApiClient(new Uri($"http://127.0.0.1:{TestEnvironment.FreePort()}"), TimeSpan.FromSeconds(30));
            ports = (TestEnvironment.FreePort(), TestEnvironment.FreePort(), api);
            _slots.Add(slot, ports);
        }

        return ports;
    }

    /// <summary>Starts the stand-alone API, an Orleans client of this run's silo cluster through Redis clustering; returns its client.</summary>
    public async Task<HttpClient> StartApiAsync()
    {
        var api = PlatformProcess.ApiClient(new Uri($"http://127.0.0.1:{TestEnvironment.FreePort()}"), TimeSpan.FromSeconds(30));
        var environment = new Dictionary<string, string>
        {
            ["Redis__ConnectionString"] = TestEnvironment.Redis,
            ["Orleans__ServiceId"] = _serviceId,
            ["Orleans__ClusterId"] = _serviceId,
            ["Api__Urls"] = api.BaseAddress!.ToString().TrimEnd('/'),
        };
        var process = Track(PlatformProcess.Start(TestEnvironment.ApiAssembly, "api", WorkingDirectory, environment));
        await process.WaitUntilHealthyAsync(api, TimeSpan.FromSeconds(90));
        return api;
    }

    /// <summary>
    /// Starts the stand-alone MQTT bridge, an Orleans client of this run's silo cluster through Redis clustering, listening
    /// for devices on <paramref name="mqttPort"/>; waits until it is ready (listeners open, Kafka reachable).
    /// </summary>
    public async Task<PlatformProcess> StartMqttBridgeAsync(string name, int mqttPort)
    {
        var health = PlatformProcess.ApiClient(new Uri($"http://127.0.0.1:{TestEnvironment.FreePort()}"), TimeSpan.FromSeconds(10));
        var environment = new Dictionary<string, string>
        {
            ["Redis__ConnectionString"] = TestEnvironment.Redis,
            ["Orleans__ServiceId"] = _serviceId,
            ["Orleans__ClusterId"] = _serviceId,
            ["Kafka__BootstrapServers"] = BootstrapServers,
            ["Mqtt__BindAddress"] = "127.0.0.1",
            ["Mqtt__Port"] = mqttPort.ToString(CultureInfo.InvariantCulture),
            ["Mqtt__HealthUrls"] = health.BaseAddress!.ToString().TrimEnd('/'),
        };
        var process = Track(PlatformProcess.Start(TestEnvironment.MqttAssembly, name, WorkingDirectory, environment));
        await process.WaitUntilHealthyAsync(health, TimeSpan.FromSeconds(90));
        await Eventually.Until(
            async () => (await health.GetAsync("/health/ready")).IsSuccessStatusCode || process.HasExited,
            ready => ready,
            TimeSpan.FromSeconds(60),
            _ => $"{name} ready.\n{process.Describe()}");
        health.Dispose();
        return process;
    }

    /// <summary>Keys of this run's service in Redis that match <paramref name="pattern"/> (redis-cli --scan).</summary>
    public async Task<IReadOnlyList<string>> RedisKeysAsync(string pattern)
    {
        var endpoint = TestEnvironment.Redis.Split(':');
        var start = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-h", endpoint[0], "-p", endpoint[1], "--scan", "--pattern", $"{_serviceId}*{pattern}" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>
    /// Produces <paramref name="rounds"/> rounds of one record per device ({"metrics":{"seq":n,"load":l}}, one second apart in
    /// event time), pausing between rounds. Halfway it waits for <paramref name="halfway"/> (when given), so a test
    /// acts on the silos while records are in flight and the second half always follows that act.
    /// </summary>
    public async Task ProduceRoundsAsync(IReadOnlyList<string> ids, int rounds, TimeSpan pause, Task? halfway = null)
    {
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
        {
            BootstrapServers = BootstrapServers,
            EnableIdempotence = true,
            Acks = Acks.All,
            LingerMs = 5,
            Partitioner = Partitioner.Murmur2Random,
        }).Build();
        var start = new DateTimeOffset(2026, 11, 27, 7, 0, 0, TimeSpan.Zero);
        for (var seq = 0; seq < rounds; seq++)
        {
            if (seq == rounds / 2 && halfway is not null)
            {
                producer.Flush(TimeSpan.FromSeconds(30));
                await halfway;
            }

            for (var d = 0; d < ids.Count; d++)
            {
                var id = ids[d];
                var load = IsOverloaded(d, seq) ? 95 : 20;
                var value = string.Create(CultureInfo.InvariantCulture, $$$"""{"deviceId":"{{{id}}}","ts":{{{start.AddSeconds(seq).ToUnixTimeMilliseconds()}}},"metrics":{"seq":{{{seq}}},"load":{{{load}}}}}""");
                producer.Produce("iot.telemetry", new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(id), Value = Encoding.UTF8.GetBytes(value) });
            }

            await Task.Delay(pause);
        }

        await Task.Run(() => producer.Flush(TimeSpan.FromSeconds(30)));
    }

    /// <summary>Whether device number <paramref name="device"/> reports load 95 in round <paramref name="seq"/>: every tenth device, rounds 40-44.</summary>
    public static bool IsOverloaded(int device, int seq) => device % 10 == 0 && seq is >= 40 and < 45;

    /// <summary>A threshold rule on "load" (raise above 90, clear below 50), as configuration for a silo.</summary>
    public static IReadOnlyDictionary<string, string> OverloadRule { get; } = new Dictionary<string, string>
    {
        ["Analytics__Rules__0__Name"] = "overload",
        ["Analytics__Rules__0__Kind"] = "Threshold",
        ["Analytics__Rules__0__Metrics__0"] = "load",
        ["Analytics__Rules__0__Severity"] = "Critical",
        ["Analytics__Rules__0__Threshold__RaiseAbove"] = "90",
        ["Analytics__Rules__0__Threshold__ClearBelow"] = "50",
    };

    /// <summary>
    /// Reads the alerts topic and checks that each device of <paramref name="ids"/> meant to overload has exactly one
    /// "overload" alert id (any republication after a crash carries the same id and content) and the others none.
    /// </summary>
    public async Task<int> AssertOneOverloadAlertEachAsync(IReadOnlyList<string> ids)
    {
        var expected = ids.Where((_, d) => IsOverloaded(d, 40)).ToHashSet(StringComparer.Ordinal);
        var alerts = await Eventually.Until(
            async () => (await ReadWithKcatAsync("iot.alerts", "%s\\n"))
                .Select(line => JsonDocument.Parse(line).RootElement)
                .Where(a => a.GetProperty("rule").GetString() == "overload")
                .ToList(),
            list => expected.All(id => list.Any(a => a.GetProperty("deviceId").GetString() == id && a.GetProperty("state").GetString() == "cleared")),
            TimeSpan.FromSeconds(60),
            list => $"a raise and a clear of the overload rule for each of {expected.Count} devices; {list.Count} overload records so far");
        foreach (var device in alerts.GroupBy(a => a.GetProperty("deviceId").GetString()!))
        {
            Assert.Contains(device.Key, expected);
            Assert.Single(device.Select(a => a.GetProperty("id").GetString()).Distinct());
            foreach (var state in device.GroupBy(a => a.GetProperty("state").GetString()))
            {
                Assert.Single(state.Select(a => a.GetRawText()).Distinct());
            }
        }

        Assert.Equal(expected.Count, alerts.Select(a => a.GetProperty("deviceId").GetString()).Distinct().Count());
        return alerts.Count;
    }

    /// <summary>Produces "key|value" lines with kcat.</summary>
    public async Task ProduceWithKcatAsync(string topic, IEnumerable<string> keyedLines)
    {
        var input = string.Join('\n', keyedLines) + "\n";
        var (exit, _, error) = await RunKcatAsync(input, "-P", "-b", BootstrapServers, "-t", topic, "-K", "|", "-z", "snappy");
        if (exit != 0)
        {
            throw new InvalidOperationException($"kcat -P failed ({exit}): {error}");
        }
    }

    /// <summary>Reads a whole topic with kcat, one formatted line per record.</summary>
    public async Task<IReadOnlyList<string>> ReadWithKcatAsync(string topic, string format)
    {
        var (exit, output, error) = await RunKcatAsync(null, "-C", "-b", BootstrapServers, "-t", topic, "-e", "-q", "-f", format);
        if (exit != 0)
        {
            throw new InvalidOperationException($"kcat -C failed ({exit}): {error}");
        }

        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>GET /api/devices/{id}: the status code and, on success, the twin.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body, string? ContentType)> GetDeviceAsync(string id, HttpClient? via = null)
    {
        using var response = await (via ?? Http).GetAsync("/api/devices/" + Uri.EscapeDataString(id));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (response.StatusCode, body, response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>Polls the API until the device's messageCount reaches <paramref name="count"/>, then returns the twin.</summary>
    public async Task<JsonElement> WaitForCountAsync(string id, long count, TimeSpan timeout, HttpClient? via = null)
    {
        var (_, body, _) = await Eventually.Until(
            () => GetDeviceAsync(id, via),
            answer => answer.Status == HttpStatusCode.OK && answer.Body.GetProperty("messageCount").GetInt64() >= count,
            timeout,
            answer => $"device {id} to reach {count} records; last answer {(int)answer.Status}: {answer.Body}\n{Diagnostics}");
        return body;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var slot in _slots.Values)
        {
            slot.Http.Dispose();
        }

        foreach (var process in Enumerable.Reverse(_processes))
        {
            await process.DisposeAsync();
        }

        try
        {
            Directory.Delete(WorkingDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A log file still being closed; the temp folder is cleaned by the OS.
        }
    }

    private PlatformProcess Track(PlatformProcess process)
    {
        _processes.Add(process);
        return process;
    }

    private static async Task<(int Exit, string Output, string Error)> RunKcatAsync(string? input, params string[] arguments)
    {
        var start = new ProcessStartInfo(TestEnvironment.Kcat)
        {
            RedirectStandardInput = input is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
