using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using DeviceTwins.Testing;

namespace DeviceTwins.EndToEndTests;

/// <summary>
/// One platform for the console's browser tests: the embedded Kafka cluster, a silo with the overload rule and a key per
/// role, and one headless Chromium. Each test uses devices of its own.
/// </summary>
public sealed class ConsolePlatform : IAsyncLifetime
{
    public const string ReadKey = "dt_console-read-key-00000000000000000000000001";
    public const string WriteKey = "dt_console-write-key-0000000000000000000000002";
    public const string AdminKey = "dt_console-admin-key-0000000000000000000000003";

    private readonly TestPlatform _platform = new();
    private ConsoleBrowser? _browser;

    internal TestPlatform Platform => _platform;

    internal ConsoleBrowser Browser => _browser ?? throw new InvalidOperationException("Not started.");

    public HttpClient Admin { get; private set; } = null!;

    internal PlatformProcess Silo { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _platform.StartKafkaAsync();
        var settings = new Dictionary<string, string>(TestPlatform.OverloadRule);
        foreach (var (index, name, key, role) in new[] { (0, "viewer", ReadKey, "read"), (1, "operator", WriteKey, "write"), (2, "owner", AdminKey, "admin") })
        {
            settings[$"Auth__ApiKeys__{index}__Name"] = name;
            settings[$"Auth__ApiKeys__{index}__Hash"] = PlatformProcess.KeyHash(key);
            settings[$"Auth__ApiKeys__{index}__Role"] = role;
        }

        Silo = await _platform.StartSiloAsync("silo", settings: settings);
        Admin = PlatformProcess.ApiClient(_platform.Http.BaseAddress!, TimeSpan.FromSeconds(30), AdminKey);
        _browser = new ConsoleBrowser(_platform.Http.BaseAddress!);
    }

    /// <summary>Produces one telemetry record per device with kcat, event time now, with these metrics.</summary>
    public Task ProduceAsync(params (string Device, string Metrics)[] records) =>
        ProduceMembersAsync([.. records.Select(r => (r.Device, $"\"metrics\":{{{r.Metrics}}}"))]);

    /// <summary>Produces one telemetry record per device with kcat, event time now, with these members (metrics, reported, ...).</summary>
    public Task ProduceMembersAsync(params (string Device, string Members)[] records) =>
        _platform.ProduceWithKcatAsync("iot.telemetry", records.Select(r =>
            $"{r.Device}|{{\"deviceId\":\"{r.Device}\",\"ts\":\"{DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture)}\",{r.Members}}}"));

    /// <summary>Replaces a device's tags over the API.</summary>
    public async Task TagAsync(string device, string tagsJson)
    {
        using var content = new StringContent(tagsJson, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        using var response = await Admin.PutAsync(new Uri($"/api/devices/{device}/tags", UriKind.Relative), content);
        response.EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        _browser?.Dispose();
        Admin?.Dispose();
        await _platform.DisposeAsync();
    }
}
