using System.Net;
using System.Text;
using System.Text.Json;
using DeviceTwins.Testing;

namespace DeviceTwins.EndToEndTests;

/// <summary>
/// Tenants and the audit trail on the real processes: keys of two tenants, each served its own device only, and kcat
/// reading one audit record per write (who, tenant, what, versions) from iot.audit.
/// </summary>
public sealed class TenantAuditEndToEndTests
{
    private const string AcmeWriteKey = "dt_e2e-acme-write-key-00000000000000000000001";
    private const string GlobexReadKey = "dt_e2e-globex-read-key-0000000000000000000002";

    [Fact]
    public async Task TenantKeys_OwnDeviceServed_OtherTenant404_KcatReadsOneAuditRecordPerWrite()
    {
        await using var platform = new TestPlatform();
        await platform.StartKafkaAsync();
        var settings = new Dictionary<string, string>(PlatformProcess.ApiKeyEnvironment)
        {
            ["Auth__ApiKeys__1__Name"] = "acme-writer",
            ["Auth__ApiKeys__1__Hash"] = PlatformProcess.KeyHash(AcmeWriteKey),
            ["Auth__ApiKeys__1__Role"] = "write",
            ["Auth__ApiKeys__1__Tenant"] = "acme",
            ["Auth__ApiKeys__2__Name"] = "globex-reader",
            ["Auth__ApiKeys__2__Hash"] = PlatformProcess.KeyHash(GlobexReadKey),
            ["Auth__ApiKeys__2__Role"] = "read",
            ["Auth__ApiKeys__2__Tenant"] = "globex",
        };
        await platform.StartSiloAsync("silo", settings: settings);
        using var acme = PlatformProcess.ApiClient(platform.Http.BaseAddress!, TimeSpan.FromSeconds(30), AcmeWriteKey);
        using var globex = PlatformProcess.ApiClient(platform.Http.BaseAddress!, TimeSpan.FromSeconds(30), GlobexReadKey);
        var device = "tenant-" + Guid.NewGuid().ToString("N")[..8];

        using (var created = await acme.SendAsync(Json(HttpMethod.Patch, $"/api/devices/{device}/desired", """{"cfg":{"rate":5}}""", "application/merge-patch+json")))
        {
            Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        }

        using (var tagged = await acme.SendAsync(Json(HttpMethod.Put, $"/api/devices/{device}/tags", """{"site":"plant-a"}""", "application/json")))
        {
            Assert.Equal(HttpStatusCode.OK, tagged.StatusCode);
            var tags = JsonDocument.Parse(await tagged.Content.ReadAsStringAsync()).RootElement.GetProperty("tags");
            Assert.Equal(("plant-a", "acme"), (tags.GetProperty("site").GetString(), tags.GetProperty("tenant").GetString()));
        }

        Assert.Equal(HttpStatusCode.OK, (await acme.GetAsync(new Uri($"/api/devices/{device}", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await globex.GetAsync(new Uri($"/api/devices/{device}", UriKind.Relative))).StatusCode);

        var records = await Eventually.Until(
            async () => (await platform.ReadWithKcatAsync("iot.audit", "%k|%s\\n"))
                .Where(l => l.StartsWith(device + "|", StringComparison.Ordinal))
                .Select(l => JsonDocument.Parse(l[(device.Length + 1)..]).RootElement)
                .ToList(),
            r => r.Count >= 2,
            TimeSpan.FromSeconds(30),
            $"{device}'s audit records on iot.audit");
        Assert.Equal(2, records.Count);
        Assert.Equal(["desired.patch", "tags.replace"], records.Select(r => r.GetProperty("action").GetString()));
        Assert.All(records, r =>
        {
            Assert.Equal("acme-writer", r.GetProperty("actor").GetProperty("name").GetString());
            Assert.Equal("acme", r.GetProperty("actor").GetProperty("tenant").GetString());
            Assert.Equal("acme", r.GetProperty("tenant").GetString());
        });
        Assert.Equal([(0L, 1L), (1L, 2L)], records.Select(r => (r.GetProperty("versionBefore").GetInt64(), r.GetProperty("versionAfter").GetInt64())));
    }

    private static HttpRequestMessage Json(HttpMethod method, string path, string body, string mediaType) => new(method, new Uri(path, UriKind.Relative))
    {
        Content = new StringContent(body, Encoding.UTF8, mediaType),
    };
}
