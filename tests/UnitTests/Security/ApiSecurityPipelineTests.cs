using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DeviceTwins.Api.Extensions;
using DeviceTwins.Api.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DeviceTwins.UnitTests.Security;

/// <summary>
/// The API's real composition (AddDeviceTwinsApi, MapDeviceTwinsApi) on a test server, without a cluster: the grain
/// factory throws, so a 500 means the request passed authentication and authorization and reached its endpoint.
/// </summary>
public sealed class ApiSecurityPipelineTests : IAsyncLifetime
{
    private const string ReadKey = "dt_unit-read-key-000000000000000000000000001";
    private const string WriteKey = "dt_unit-write-key-00000000000000000000000002";
    private const string AdminKey = "dt_unit-admin-key-00000000000000000000000003";
    private const string Issuer = "https://issuer.devicetwins.test";
    private const string Audience = "devicetwins-api";
    private static readonly byte[] SigningKey = Encoding.UTF8.GetBytes("unit-test-signing-key-of-32-bytes-or-more!");

    private readonly CapturingLoggerProvider _logs = new();
    private WebApplication? _app;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:ApiKeys:0:Name"] = "reader",
            ["Auth:ApiKeys:0:Hash"] = ApiKeyHash.Create(ReadKey),
            ["Auth:ApiKeys:0:Role"] = "read",
            ["Auth:ApiKeys:1:Name"] = "writer",
            ["Auth:ApiKeys:1:Hash"] = ApiKeyHash.Create(WriteKey),
            ["Auth:ApiKeys:1:Role"] = "write",
            ["Auth:ApiKeys:2:Name"] = "operator",
            ["Auth:ApiKeys:2:Hash"] = ApiKeyHash.Create(AdminKey),
            ["Auth:ApiKeys:2:Role"] = "admin",
            ["Auth:Jwt:Issuer"] = Issuer,
            ["Auth:Jwt:Audience"] = Audience,
            ["Auth:Jwt:SigningKey"] = Convert.ToBase64String(SigningKey),
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(_logs);
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Services.AddDeviceTwinsApi();
        builder.Services.AddSingleton<IGrainFactory>(_ => throw new InvalidOperationException("No cluster in this test."));
        _app = builder.Build();
        _app.MapDeviceTwinsApi();
        await _app.StartAsync();
        _client = _app.GetTestClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Health_NoCredential_Ok()
    {
        using var response = await _client.GetAsync(new Uri("/health/live", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("GET", "/api/devices/pump-1")]
    [InlineData("GET", "/api/devices?limit=5")]
    [InlineData("GET", "/api/alerts")]
    [InlineData("PATCH", "/api/devices/pump-1/desired")]
    [InlineData("POST", "/api/alerts/a1/ack")]
    public async Task AnyEndpoint_NoCredential_401ProblemWithChallenges(string method, string path)
    {
        using var response = await SendAsync(method, path);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var challenges = response.Headers.WwwAuthenticate.Select(h => h.ToString()).ToList();
        Assert.Contains("ApiKey header=\"X-Api-Key\"", challenges);
        Assert.Contains("Bearer", challenges);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
        Assert.Equal(path.Split('?')[0], problem.GetProperty("instance").GetString());
    }

    [Fact]
    public async Task WrongKey_401_KeyNeverInResponseOrLogs()
    {
        const string wrong = "dt_wrong-key-that-must-never-be-echoed-00000";
        using var response = await SendAsync("GET", "/api/devices/pump-1", apiKey: wrong);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("The credential is not valid.", body, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, body, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, string.Join("\n", response.Headers.Select(h => string.Join(",", h.Value))), StringComparison.Ordinal);
        using (await SendAsync("PATCH", "/api/devices/pump-1/desired", apiKey: ReadKey))
        using (await SendAsync("GET", "/api/devices/pump-1", apiKey: AdminKey))
        {
            var logs = string.Join("\n", _logs.Messages);
            Assert.NotEmpty(_logs.Messages);
            foreach (var key in new[] { wrong, ReadKey, WriteKey, AdminKey })
            {
                Assert.DoesNotContain(key, logs, StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [InlineData(ReadKey, "GET", "/api/devices/pump-1", true)]
    [InlineData(ReadKey, "GET", "/api/devices/pump-1/alerts", true)]
    [InlineData(ReadKey, "GET", "/api/devices?limit=5", true)]
    [InlineData(ReadKey, "GET", "/api/alerts", true)]
    [InlineData(ReadKey, "PATCH", "/api/devices/pump-1/desired", false)]
    [InlineData(ReadKey, "PUT", "/api/devices/pump-1/tags", false)]
    [InlineData(ReadKey, "POST", "/api/alerts/a1/ack", false)]
    [InlineData(WriteKey, "GET", "/api/devices/pump-1", true)]
    [InlineData(WriteKey, "GET", "/api/alerts", true)]
    [InlineData(WriteKey, "PATCH", "/api/devices/pump-1/desired", true)]
    [InlineData(WriteKey, "PUT", "/api/devices/pump-1/tags", true)]
    [InlineData(WriteKey, "POST", "/api/alerts/a1/ack", true)]
    [InlineData(AdminKey, "GET", "/api/devices?limit=5", true)]
    [InlineData(AdminKey, "PATCH", "/api/devices/pump-1/desired", true)]
    [InlineData(AdminKey, "POST", "/api/alerts/a1/ack", true)]
    public async Task ApiKey_RoleAgainstEndpoint_ReachesItOr403(string key, string method, string path, bool allowed)
    {
        using var response = await SendAsync(method, path, apiKey: key);
        await AssertAllowedAsync(response, allowed, method);
    }

    [Fact]
    public async Task OpenApi_ReadKey_Ok()
    {
        using var response = await SendAsync("GET", "/openapi/v1.json", apiKey: ReadKey);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("read", "GET", true)]
    [InlineData("read", "PATCH", false)]
    [InlineData("write", "PATCH", true)]
    [InlineData("admin", "PATCH", true)]
    public async Task Jwt_RoleClaim_ReachesItOr403(string role, string method, bool allowed)
    {
        var token = Token(new Dictionary<string, object> { ["role"] = role });
        using var response = await SendAsync(method, method == "GET" ? "/api/devices/pump-1" : "/api/devices/pump-1/desired", bearer: token);
        await AssertAllowedAsync(response, allowed, method);
    }

    [Fact]
    public async Task Jwt_RolesArrayClaim_Counts()
    {
        var token = Token(new Dictionary<string, object> { ["roles"] = new[] { "read", "write" } });
        using var response = await SendAsync("POST", "/api/alerts/a1/ack", bearer: token);
        await AssertAllowedAsync(response, allowed: true, "POST");
    }

    [Fact]
    public async Task Jwt_WrongAudienceOrExpiredOrWrongKey_401InvalidToken()
    {
        var tokens = new[]
        {
            Token(new Dictionary<string, object> { ["role"] = "admin" }, audience: "someone-else"),
            Token(new Dictionary<string, object> { ["role"] = "admin" }, expires: DateTime.UtcNow.AddMinutes(-10)),
            Token(new Dictionary<string, object> { ["role"] = "admin" }, key: Encoding.UTF8.GetBytes("another-signing-key-of-32-bytes-or-more!!")),
        };
        foreach (var token in tokens)
        {
            using var response = await SendAsync("GET", "/api/devices/pump-1", bearer: token);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.Select(h => h.ToString()));
            Assert.DoesNotContain(token, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    private static async Task AssertAllowedAsync(HttpResponseMessage response, bool allowed, string method)
    {
        if (allowed)
        {
            // Past authorization: the endpoint ran into the missing cluster (or refused the empty body first).
            Assert.True(response.StatusCode is HttpStatusCode.InternalServerError or HttpStatusCode.UnsupportedMediaType or HttpStatusCode.BadRequest, $"{method}: {response.StatusCode}");
            return;
        }

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(403, problem.GetProperty("status").GetInt32());
        Assert.Contains("'write'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static string Token(Dictionary<string, object> claims, string audience = Audience, DateTime? expires = null, byte[]? key = null)
    {
        var expiry = expires ?? DateTime.UtcNow.AddMinutes(10);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = expiry.AddMinutes(-20),
            NotBefore = expiry.AddMinutes(-20),
            Expires = expiry,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key ?? SigningKey), SecurityAlgorithms.HmacSha256),
        });
    }

    private async Task<HttpResponseMessage> SendAsync(string method, string path, string? apiKey = null, string? bearer = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        if (apiKey is not null)
        {
            request.Headers.Add(ApiKeyAuthenticationHandler.HeaderName, apiKey);
        }

        if (bearer is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        }

        if (method is "PATCH" or "PUT")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, method == "PATCH" ? "application/merge-patch+json" : "application/json");
        }

        return await _client.SendAsync(request);
    }
}
