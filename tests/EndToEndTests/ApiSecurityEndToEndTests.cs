using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

using DeviceTwins.Testing;

namespace DeviceTwins.EndToEndTests;

/// <summary>Credentials on the real processes: 401, 403 and 200 per role on each endpoint group, the development key, and logs without keys.</summary>
public sealed class ApiSecurityEndToEndTests
{
    private const string ReadKey = "dt_e2e-read-key-0000000000000000000000000001";
    private const string WriteKey = "dt_e2e-write-key-000000000000000000000000002";
    private const string AdminKey = "dt_e2e-admin-key-000000000000000000000000003";
    private const string WrongKey = "dt_e2e-wrong-key-000000000000000000000000004";

    [Fact]
    public async Task SiloAndStandaloneApi_KeysPerRole_401Or403Or200_LogsNeverHoldKeys()
    {
        await using var platform = new TestPlatform();
        await platform.StartKafkaAsync();
        var settings = new Dictionary<string, string>(PlatformProcess.ApiKeyEnvironment);
        foreach (var (index, name, key, role) in new[] { (1, "reader", ReadKey, "read"), (2, "writer", WriteKey, "write"), (3, "operator", AdminKey, "admin") })
        {
            settings[$"Auth__ApiKeys__{index}__Name"] = name;
            settings[$"Auth__ApiKeys__{index}__Hash"] = Sha256(key);
            settings[$"Auth__ApiKeys__{index}__Role"] = role;
        }

        var silo = await platform.StartSiloAsync("silo", settings: settings);
        var device = "sec-" + Guid.NewGuid().ToString("N")[..8];
        await platform.ProduceWithKcatAsync("iot.telemetry", [$"{device}|{{\"deviceId\":\"{device}\",\"ts\":\"2026-11-27T08:00:00Z\",\"metrics\":{{\"temperature\":21.5}}}}"]);
        using var none = Client(platform.Http.BaseAddress!, null);
        using var wrong = Client(platform.Http.BaseAddress!, WrongKey);
        using var read = Client(platform.Http.BaseAddress!, ReadKey);
        using var write = Client(platform.Http.BaseAddress!, WriteKey);
        using var admin = Client(platform.Http.BaseAddress!, AdminKey);
        await platform.WaitForCountAsync(device, 1, TimeSpan.FromSeconds(60), via: read);

        // Health and metrics are open; everything else needs a credential.
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(none, HttpMethod.Get, "/health/live"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(none, HttpMethod.Get, "/metrics"));
        foreach (var client in new[] { none, wrong })
        {
            using var refused = await client.GetAsync(new Uri($"/api/devices/{device}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Contains("ApiKey header=\"X-Api-Key\"", refused.Headers.WwwAuthenticate.Select(h => h.ToString()));
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(client, HttpMethod.Get, "/api/alerts"));
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(client, HttpMethod.Get, "/api/devices?limit=5"));
        }

        // read: every GET of the three groups, no write.
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(read, HttpMethod.Get, $"/api/devices/{device}"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(read, HttpMethod.Get, $"/api/devices/{device}/rules"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(read, HttpMethod.Get, "/api/alerts?state=all"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(read, HttpMethod.Get, "/api/devices?limit=5"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(read, HttpMethod.Get, "/openapi/v1.json"));
        using (var forbidden = await read.SendAsync(Desired(device)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
            var problem = await forbidden.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(403, problem.GetProperty("status").GetInt32());
            Assert.Contains("'write'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(read, HttpMethod.Put, $"/api/devices/{device}/tags", "{\"site\":\"a\"}"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(read, HttpMethod.Post, "/api/alerts/00000000000000000000000000000000/ack"));

        // write: changes twins and acknowledges (an unknown alert is a 404 past authorization); admin: everything.
        using (var patched = await write.SendAsync(Desired(device)))
        {
            Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(write, HttpMethod.Put, $"/api/devices/{device}/tags", "{\"site\":\"a\"}"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(write, HttpMethod.Post, "/api/alerts/00000000000000000000000000000000/ack"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(write, HttpMethod.Get, "/api/alerts"));
        using (var patched = await admin.SendAsync(Desired(device)))
        {
            Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(admin, HttpMethod.Post, "/api/alerts/00000000000000000000000000000000/ack"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(admin, HttpMethod.Get, "/api/devices?limit=5"));

        // The stand-alone API: the harness key (admin) passes, nothing else.
        using var api = await platform.StartApiAsync();
        using var apiNone = Client(api.BaseAddress!, null);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(apiNone, HttpMethod.Get, $"/api/devices/{device}"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(apiNone, HttpMethod.Get, "/health/live"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(api, HttpMethod.Get, $"/api/devices/{device}"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(api, HttpMethod.Get, "/api/alerts"));

        // The console's page is open to anyone on both (it holds no data; its calls carry the signed-in key), kept to
        // this origin by its content security policy; who a key is and the fleet's figures need a credential.
        foreach (var anonymous in new[] { none, apiNone })
        {
            using var page = await anonymous.GetAsync(new Uri("/", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
            Assert.Contains("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
            Assert.Contains("/console/js/app.js", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(anonymous, HttpMethod.Get, "/console/lib/echarts.min.js"));
            Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(anonymous, HttpMethod.Get, "/console/no-such-file.js"));
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(anonymous, HttpMethod.Get, "/api/me"));
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(anonymous, HttpMethod.Get, "/api/fleet/stats"));
        }

        var me = await read.GetFromJsonAsync<JsonElement>("/api/me");
        Assert.Equal(("reader", "read"), (me.GetProperty("name").GetString(), me.GetProperty("role").GetString()));
        Assert.Equal("operator", (await admin.GetFromJsonAsync<JsonElement>("/api/me")).GetProperty("name").GetString());
        var stats = await api.GetFromJsonAsync<JsonElement>("/api/fleet/stats");
        Assert.True(stats.GetProperty("devices").GetInt32() >= 1, stats.ToString());

        foreach (var key in new[] { ReadKey, WriteKey, AdminKey, WrongKey, PlatformProcess.ApiKey })
        {
            Assert.DoesNotContain(key, platform.Diagnostics, StringComparison.Ordinal);
            Assert.DoesNotContain(key, silo.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Silo_NoCredentialConfigured_GeneratesDevelopmentAdminKeyFile_LogsItOnce()
    {
        await using var platform = new TestPlatform();
        await platform.StartKafkaAsync();
        // An Auth__ setting of its own keeps the harness key away: nothing is configured.
        var silo = await platform.StartSiloAsync("silo", settings: new Dictionary<string, string> { ["Auth__DevelopmentKey"] = "true" });
        var file = Path.Combine(platform.WorkingDirectory, ".devicetwins", "api-key");
        Assert.True(File.Exists(file), file);
        var key = (await File.ReadAllTextAsync(file)).Trim();
        Assert.StartsWith("dt_", key, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        using var none = Client(platform.Http.BaseAddress!, null);
        using var developer = Client(platform.Http.BaseAddress!, key);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(none, HttpMethod.Get, "/api/alerts"));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(platform.Http, HttpMethod.Get, "/api/alerts"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(developer, HttpMethod.Get, "/api/alerts"));
        var device = "dev-" + Guid.NewGuid().ToString("N")[..8];
        using (var patched = await developer.SendAsync(Desired(device)))
        {
            Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        }

        var output = silo.Output;
        Assert.Equal(1, Occurrences(output, key));
        Assert.Contains("DEVELOPMENT admin API key", output, StringComparison.Ordinal);
    }

    private static HttpClient Client(Uri baseAddress, string? key) => PlatformProcess.ApiClient(baseAddress, TimeSpan.FromSeconds(30), key);

    private static HttpRequestMessage Desired(string device) => new(HttpMethod.Patch, new Uri($"/api/devices/{device}/desired", UriKind.Relative))
    {
        Content = new StringContent("{\"config\":{\"interval\":30}}", Encoding.UTF8, "application/merge-patch+json"),
    };

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private static string Sha256(string key) => PlatformProcess.KeyHash(key);

    private static int Occurrences(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
