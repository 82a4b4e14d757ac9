using System.Net;
using System.Text.Json;
using DeviceTwins.Api.Security;
using DeviceTwins.EndToEndTests;
using DeviceTwins.Testing;

namespace DeviceTwins.ApiTests;

/// <summary>
/// Tenants: every route against every credential of two tenants (keys of each role and a token), each tenant's own
/// device served and the other's answered exactly as a device that does not exist; lists, streams and the tenant tag.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class TenantTests(ApiFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly string ZeroAlert = new('0', 32);

    /// <summary>Method, path ({id}: a device, {alert}: an alert of it), body, whether it writes, and whether it is a stream.</summary>
    private static readonly (string Method, string Path, string? Body, bool Writes, bool Stream)[] DeviceRoutes =
    [
        ("GET", "/api/devices/{id}", null, false, false),
        ("GET", "/api/devices/{id}/alerts", null, false, false),
        ("GET", "/api/devices/{id}/aggregates", null, false, false),
        ("GET", "/api/devices/{id}/rules", null, false, false),
        ("GET", "/api/devices/{id}/changes", null, false, true),
        ("PUT", "/api/devices/{id}/tags", """{"site":"matrix"}""", true, false),
        ("PATCH", "/api/devices/{id}/desired", """{"matrix":1}""", true, false),
        ("POST", "/api/alerts/{alert}/ack", null, true, false),
    ];

    [Fact]
    public async Task EveryRoute_EveryCredentialOfTwoTenants_OwnDeviceServed_OthersAnsweredAsUnknown_ListsHoldOwnOnly()
    {
        var devices = new Dictionary<string, (string Id, string Alert)>();
        foreach (var tenant in ApiFixture.TenantIds)
        {
            devices[tenant] = await AlertingDeviceOfAsync(tenant, "matrix");
        }

        var unknown = ApiFixture.NewDeviceId("nobody");
        foreach (var (tenant, role, client) in Credentials())
        {
            using var _ = client;
            var other = ApiFixture.TenantIds.Single(t => t != tenant);
            foreach (var route in DeviceRoutes)
            {
                var label = $"{tenant} {role}, {route.Method} {route.Path}";
                using (var own = await SendAsync(client, route, devices[tenant]))
                {
                    var expected = route.Writes && role == ApiRoles.Read ? HttpStatusCode.Forbidden : HttpStatusCode.OK;
                    Assert.True(expected == own.StatusCode, $"{label}, own device: expected {(int)expected}, got {(int)own.StatusCode}: {await BodyAsync(own, route)}");
                }

                using var foreign = await SendAsync(client, route, devices[other]);
                if (route.Writes && role == ApiRoles.Read)
                {
                    Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
                    continue;
                }

                var foreignProblem = await Problems.AssertAsync(foreign, HttpStatusCode.NotFound);
                if (route.Method == "PATCH")
                {
                    // A desired patch creates an unknown device (in the caller's tenant), so it has no unknown answer to
                    // match: the id another tenant holds is refused as a device not found, and nothing is created.
                    Assert.Equal("Device not found", foreignProblem.GetProperty("title").GetString());
                    continue;
                }

                using var missing = await SendAsync(client, route, (unknown, ZeroAlert));
                var missingProblem = await Problems.AssertAsync(missing, HttpStatusCode.NotFound);
                // Exactly the answer for a device (or alert) that does not exist, but for the id it names.
                Assert.Equal(
                    Normalized(missingProblem, unknown, ZeroAlert),
                    Normalized(foreignProblem, devices[other].Id, devices[other].Alert));
            }

            var fleet = await FleetAsync(client, "/api/devices?limit=1000", devices[tenant].Id);
            Assert.All(fleet, d => Assert.Equal(tenant, d.GetProperty("tags").GetProperty("tenant").GetString()));

            var alerts = (await client.GetJsonAsync("/api/alerts?limit=1000")).GetProperty("items").EnumerateArray().ToList();
            Assert.Contains(alerts, a => a.GetProperty("id").GetString() == devices[tenant].Alert);
            Assert.All(alerts, a => Assert.Equal(tenant, a.GetProperty("tenant").GetString()));
        }

        // A caller of every tenant sees both.
        var everything = (await fixture.Reader.GetJsonAsync("/api/alerts?limit=1000")).GetProperty("items").EnumerateArray().Select(a => a.GetProperty("id").GetString()).ToList();
        Assert.Contains(devices["acme"].Alert, everything);
        Assert.Contains(devices["globex"].Alert, everything);
    }

    [Fact]
    public async Task TenantTag_SetAtCreation_KeptWhenLeftOut_ChangedOnlyByAPlatformAdmin_AlertsMoveWithTheDevice()
    {
        var (id, alert) = await AlertingDeviceOfAsync("acme", "moving");
        using var acmeWriter = fixture.ClientWithKey(ApiFixture.TenantKey("acme", ApiRoles.Write));
        using var acmeAdmin = fixture.ClientWithKey(ApiFixture.TenantKey("acme", ApiRoles.Admin));
        using var acmeReader = fixture.ClientWithKey(ApiFixture.TenantKey("acme", ApiRoles.Read));
        using var globexReader = fixture.ClientWithKey(ApiFixture.TenantKey("globex", ApiRoles.Read));

        using (var kept = await acmeWriter.PutTagsAsync(id, """{"site":"moving"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
            var tags = (await kept.JsonAsync()).GetProperty("tags");
            Assert.Equal("""{"site":"moving","tenant":"acme"}""", Canonical(tags));
        }

        using (var refused = await acmeAdmin.PutTagsAsync(id, """{"tenant":"globex"}"""))
        {
            var problem = await Problems.AssertAsync(refused, HttpStatusCode.Forbidden, "Forbidden");
            Assert.Contains("only an admin of every tenant", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        using (var invalid = await fixture.Admin.PutTagsAsync(id, """{"tenant":"Not A Tenant"}"""))
        {
            await Problems.AssertAsync(invalid, HttpStatusCode.BadRequest, "Invalid tags");
        }

        // The alert clears before the move: a cleared alert (kept in the twin's history) moves with its device too.
        await fixture.ProduceAsync(id, ApiFixture.Telemetry(id, fixture.Clock.GetUtcNow().AddSeconds(-29), ("load", 10)));
        await Eventually.Until(
            async () => (await acmeReader.GetJsonAsync("/api/alerts?limit=1000")).GetProperty("items").EnumerateArray()
                .Where(a => a.GetProperty("id").GetString() == alert).Select(a => a.GetProperty("state").GetString()).ToList(),
            states => states.SequenceEqual(["cleared"]),
            Timeout,
            "the alert cleared in acme's alert list");

        using (var moved = await fixture.Admin.PutTagsAsync(id, """{"site":"moving","tenant":"globex"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        }

        using (var gone = await acmeReader.GetAsync(new Uri($"/api/devices/{id}", UriKind.Relative)))
        {
            await Problems.AssertAsync(gone, HttpStatusCode.NotFound);
        }

        Assert.Equal("globex", (await globexReader.GetJsonAsync($"/api/devices/{id}")).GetProperty("tags").GetProperty("tenant").GetString());
        await Eventually.Until(
            async () => (await globexReader.GetJsonAsync("/api/alerts?limit=1000")).GetProperty("items").EnumerateArray().Select(a => a.GetProperty("id").GetString()).ToList(),
            ids => ids.Contains(alert),
            Timeout,
            "the moved device's alert in globex's alert list");
        Assert.DoesNotContain(
            (await acmeReader.GetJsonAsync("/api/alerts?limit=1000")).GetProperty("items").EnumerateArray(),
            a => a.GetProperty("id").GetString() == alert);
        await FleetAsync(globexReader, "/api/devices?tag=site:moving&limit=1000", id);
        Assert.DoesNotContain(
            (await acmeReader.GetJsonAsync("/api/devices?tag=site:moving&limit=1000")).GetProperty("items").EnumerateArray(),
            d => d.GetProperty("deviceId").GetString() == id);
    }

    [Fact]
    public async Task AlertAndFleetStreams_OfOneTenant_CarryThatTenantsDevicesAlone()
    {
        // globex's alert is on the topic before acme's, so acme's stream passes over it before its own.
        var (globexDevice, _) = await AlertingDeviceOfAsync("globex", "stream");
        var (acmeDevice, acmeAlert) = await AlertingDeviceOfAsync("acme", "stream");
        using var acmeReader = fixture.ClientWithKey(ApiFixture.TenantKey("acme", ApiRoles.Read));

        await using (var alerts = await SseClient.OpenAsync(acmeReader, "/api/alerts/stream", lastEventId: "0:0"))
        {
            while (true)
            {
                var alert = JsonDocument.Parse((await alerts.NextAsync(Timeout)).Data).RootElement;
                Assert.Equal("acme", alert.GetProperty("tenant").GetString());
                Assert.NotEqual(globexDevice, alert.GetProperty("deviceId").GetString());
                if (alert.GetProperty("id").GetString() == acmeAlert)
                {
                    break;
                }
            }
        }

        await FleetAsync(acmeReader, "/api/devices?limit=1000", acmeDevice);
        await using var fleet = await SseClient.OpenAsync(acmeReader, "/api/fleet/changes?limit=1000");
        var snapshot = JsonDocument.Parse((await fleet.NextAsync(Timeout)).Data).RootElement;
        var items = snapshot.GetProperty("items").EnumerateArray().ToList();
        Assert.Contains(items, d => d.GetProperty("deviceId").GetString() == acmeDevice);
        Assert.All(items, d => Assert.Equal("acme", d.GetProperty("tags").GetProperty("tenant").GetString()));
    }

    [Fact]
    public async Task TenantClaim_NotATenantId_Refused403_TokenOfATenantServedItsDevicesOnly()
    {
        using var bad = fixture.Api.CreateClient();
        bad.DefaultRequestHeaders.Authorization = new("Bearer", ApiFixture.Token(new() { ["role"] = "read", ["tenant"] = "Not A Tenant" }));
        using (var refused = await bad.GetAsync(new Uri("/api/devices?limit=1", UriKind.Relative)))
        {
            var problem = await Problems.AssertAsync(refused, HttpStatusCode.Forbidden, "Forbidden");
            Assert.Contains("not a tenant id", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        using var token = fixture.Api.CreateClient();
        token.DefaultRequestHeaders.Authorization = new("Bearer", ApiFixture.Token(new() { ["sub"] = "globex-service", ["role"] = "write", ["tenant"] = "globex" }));
        var id = ApiFixture.NewDeviceId("token");
        using (var created = await token.PatchDesiredAsync(id, """{"a":1}"""))
        {
            Assert.Equal(HttpStatusCode.OK, created.StatusCode);
            Assert.Equal("globex", (await created.JsonAsync()).GetProperty("tags").GetProperty("tenant").GetString());
        }

        using var acme = fixture.ClientWithKey(ApiFixture.TenantKey("acme", ApiRoles.Write));
        using (var foreign = await acme.PatchDesiredAsync(id, """{"a":2}"""))
        {
            await Problems.AssertAsync(foreign, HttpStatusCode.NotFound);
        }
    }

    // The fleet query's devices once it holds the device: the index is written behind, so each probe moves the twins'
    // clock by one flush interval, which sends the batches.
    private Task<List<JsonElement>> FleetAsync(HttpClient client, string path, string deviceId) =>
        Eventually.Until(
            async () =>
            {
                fixture.Clock.Advance(TimeSpan.FromSeconds(1));
                return (await client.GetJsonAsync(path)).GetProperty("items").EnumerateArray().ToList();
            },
            devices => devices.Any(d => d.GetProperty("deviceId").GetString() == deviceId),
            Timeout,
            $"{deviceId} in {path}");

    // Every credential confined to a tenant: a key of each role and a token with the write role.
    private IEnumerable<(string Tenant, string Role, HttpClient Client)> Credentials()
    {
        foreach (var tenant in ApiFixture.TenantIds)
        {
            foreach (var role in new[] { ApiRoles.Read, ApiRoles.Write, ApiRoles.Admin })
            {
                yield return (tenant, role, fixture.ClientWithKey(ApiFixture.TenantKey(tenant, role)));
            }

            var token = fixture.Api.CreateClient();
            token.DefaultRequestHeaders.Authorization = new("Bearer", ApiFixture.Token(new() { ["sub"] = tenant + "-service", ["role"] = "write", ["tenant"] = tenant }));
            yield return (tenant, ApiRoles.Write, token);
        }
    }

    // A device created by the tenant's writer, with an active overload alert in the fleet alert index.
    private async Task<(string Id, string Alert)> AlertingDeviceOfAsync(string tenant, string prefix)
    {
        var id = ApiFixture.NewDeviceId($"{prefix}-{tenant}");
        using var writer = fixture.ClientWithKey(ApiFixture.TenantKey(tenant, ApiRoles.Write));
        using (var created = await writer.PatchDesiredAsync(id, """{"cfg":{"rate":1}}"""))
        {
            Assert.Equal(HttpStatusCode.OK, created.StatusCode);
            Assert.Equal(tenant, (await created.JsonAsync()).GetProperty("tags").GetProperty("tenant").GetString());
        }

        await fixture.ProduceAsync(id, ApiFixture.Telemetry(id, fixture.Clock.GetUtcNow().AddSeconds(-30), ("load", 97)));
        var alerts = await Eventually.Until(
            async () => (await fixture.Reader.GetJsonAsync("/api/alerts?state=active&limit=1000")).GetProperty("items").EnumerateArray()
                .Where(a => a.GetProperty("deviceId").GetString() == id).ToList(),
            found => found.Count == 1,
            Timeout,
            $"{id}'s overload alert in the fleet alert index");
        Assert.Equal(tenant, alerts[0].GetProperty("tenant").GetString());
        return (id, alerts[0].GetProperty("id").GetString()!);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, (string Method, string Path, string? Body, bool Writes, bool Stream) route, (string Id, string Alert) device)
    {
        var path = route.Path.Replace("{id}", device.Id, StringComparison.Ordinal).Replace("{alert}", device.Alert, StringComparison.Ordinal);
        using var request = new HttpRequestMessage(new HttpMethod(route.Method), new Uri(path, UriKind.Relative));
        if (route.Body is not null)
        {
            request.Content = new StringContent(route.Body, System.Text.Encoding.UTF8, route.Method == "PATCH" ? "application/merge-patch+json" : "application/json");
            request.Content.Headers.ContentType!.CharSet = null;
        }

        // A stream that is served stays open: its status is all that is read.
        return await client.SendAsync(request, route.Stream ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead);
    }

    private static async Task<string> BodyAsync(HttpResponseMessage response, (string Method, string Path, string? Body, bool Writes, bool Stream) route) =>
        route.Stream ? "(stream)" : await response.Content.ReadAsStringAsync();

    // The problem without its trace id, with the ids it names replaced by placeholders.
    private static string Normalized(JsonElement problem, string deviceId, string alertId)
    {
        var fields = problem.EnumerateObject()
            .Where(p => p.Name != "traceId")
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => $"{p.Name}={p.Value.GetRawText()}");
        return string.Join(";", fields).Replace(deviceId, "{id}", StringComparison.Ordinal).Replace(alertId, "{alert}", StringComparison.Ordinal);
    }

    private static string Canonical(JsonElement tags) =>
        JsonSerializer.Serialize(tags.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal).ToDictionary(p => p.Name, p => p.Value.GetString()));
}
