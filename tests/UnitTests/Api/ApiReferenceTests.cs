using System.Net;
using System.Text.Json;
using DeviceTwins.Api.Extensions;
using DeviceTwins.Api.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DeviceTwins.UnitTests.Api;

/// <summary>
/// The OpenAPI document and the browsable reference page, on the API's real composition (no cluster: neither touches
/// one): public by default, behind the read role with Api:PublicReference=false.
/// </summary>
public sealed class ApiReferenceTests
{
    private const string ReadKey = "dt_reference-read-key-0000000000000000000001";

    [Fact]
    public async Task Reference_Public_RedirectsToPageThatLoadsLocalScriptAndDocument()
    {
        await using var app = await StartAsync(publicReference: true);
        using var client = app.GetTestClient();

        using var redirect = await client.GetAsync(new Uri("/api/reference", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Found, redirect.StatusCode);
        Assert.Equal("reference/", redirect.Headers.Location?.OriginalString);

        using var page = await client.GetAsync(new Uri("/api/reference/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<title>DeviceTwins API</title>", html, StringComparison.Ordinal);
        Assert.Contains("<script src=\"scalar.js\"></script>", html, StringComparison.Ordinal);
        Assert.Contains("\"url\":\"openapi/v1.json\"", html, StringComparison.Ordinal);
        Assert.Contains("\"preferredSecurityScheme\":[\"ApiKey\"]", html, StringComparison.Ordinal);

        // The page's script comes from the package, not a CDN: the reference works offline.
        using var script = await client.GetAsync(new Uri("/api/reference/scalar.js", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.True((await script.Content.ReadAsByteArrayAsync()).Length > 100_000);
        Assert.DoesNotContain("cdn.jsdelivr.net", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Document_Public_DescribesCredentialsRefusalsAndEveryOperation()
    {
        await using var app = await StartAsync(publicReference: true);
        using var client = app.GetTestClient();

        using var response = await client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = document.RootElement;
        Assert.Equal("DeviceTwins API", root.GetProperty("info").GetProperty("title").GetString());

        var schemes = root.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("apiKey", schemes.GetProperty("ApiKey").GetProperty("type").GetString());
        Assert.Equal("header", schemes.GetProperty("ApiKey").GetProperty("in").GetString());
        Assert.Equal("X-Api-Key", schemes.GetProperty("ApiKey").GetProperty("name").GetString());
        Assert.Equal("http", schemes.GetProperty("Bearer").GetProperty("type").GetString());
        Assert.Equal("bearer", schemes.GetProperty("Bearer").GetProperty("scheme").GetString());
        Assert.Equal(
            ["ApiKey", "Bearer"],
            root.GetProperty("security").EnumerateArray().Select(r => r.EnumerateObject().Single().Name).ToArray());

        var operations = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var path in root.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                operations[$"{operation.Name.ToUpperInvariant()} {path.Name}"] = operation.Value;
            }
        }

        Assert.Equal(
            [
                "DELETE /api/devices/{id}/commands/{commandId}", "DELETE /api/devices/{id}/credentials/{credentialId}",
                "GET /api/alerts", "GET /api/alerts/stream", "GET /api/devices", "GET /api/devices/{id}",
                "GET /api/devices/{id}/aggregates", "GET /api/devices/{id}/alerts", "GET /api/devices/{id}/changes",
                "GET /api/devices/{id}/commands", "GET /api/devices/{id}/commands/{commandId}",
                "GET /api/devices/{id}/credentials", "GET /api/devices/{id}/rules", "GET /api/fleet/changes", "GET /api/fleet/stats", "GET /api/me",
                "PATCH /api/devices/{id}/desired", "POST /api/alerts/{id}/ack", "POST /api/devices/{id}/commands",
                "POST /api/devices/{id}/credentials", "PUT /api/devices/{id}/tags",
            ],
            operations.Keys.Order(StringComparer.Ordinal).ToArray());
        foreach (var (name, operation) in operations)
        {
            var responses = operation.GetProperty("responses");
            // Every operation needs a credential; only writes can be forbidden (every role may read).
            Assert.True(responses.TryGetProperty("401", out var unauthorized), name);
            Assert.True(unauthorized.GetProperty("content").TryGetProperty("application/problem+json", out _), name);
            Assert.Equal(!name.StartsWith("GET ", StringComparison.Ordinal), responses.TryGetProperty("403", out _));
            // Every operation that takes input documents its 400; the two without any (who am I, the fleet's figures) none.
            Assert.Equal(name is not ("GET /api/me" or "GET /api/fleet/stats"), responses.TryGetProperty("400", out _));
            // The summaries are the endpoints' own, written for API users.
            Assert.False(operation.GetProperty("summary").GetString()!.StartsWith(name.Split(' ')[0], StringComparison.Ordinal), name);
        }

        Assert.Equal(
            ["200", "400", "401", "403", "412", "413", "415", "503"],
            operations["PATCH /api/devices/{id}/desired"].GetProperty("responses").EnumerateObject().Select(r => r.Name).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(
            ["tag", "status", "lastSeenAfter", "lastSeenBefore", "metric", "limit", "cursor"],
            operations["GET /api/devices"].GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()!).ToArray());
    }

    [Fact]
    public async Task Reference_NotPublic_DocumentNeedsReadAndPageIsNotServed()
    {
        await using var app = await StartAsync(publicReference: false);
        using var client = app.GetTestClient();

        using (var anonymous = await client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);
        }

        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, ReadKey);
        using (var read = await client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }

        using var page = await client.GetAsync(new Uri("/api/reference/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
    }

    private static async Task<WebApplication> StartAsync(bool publicReference)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Api:PublicReference"] = publicReference ? "true" : "false",
            ["Auth:ApiKeys:0:Name"] = "reader",
            ["Auth:ApiKeys:0:Hash"] = ApiKeyHash.Create(ReadKey),
            ["Auth:ApiKeys:0:Role"] = "read",
        });
        builder.Logging.ClearProviders();
        builder.Services.AddDeviceTwinsApi();
        builder.Services.AddSingleton<IGrainFactory>(_ => throw new InvalidOperationException("No cluster in this test."));
        var app = builder.Build();
        app.MapDeviceTwinsApi();
        await app.StartAsync();
        return app;
    }
}
