using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace DeviceTwins.ApiTests;

/// <summary>The probes, the OpenAPI document and the reference page answer anyone; the document lists every endpoint.</summary>
[Collection(ApiCollection.Name)]
public sealed class HealthAndOpenApiTests(ApiFixture fixture)
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData("/health/startup")]
    public async Task Health_NoCredential_200Healthy(string path)
    {
        using var response = await fixture.Anonymous.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OpenApi_NoCredential_DocumentsEveryEndpoint()
    {
        using var response = await fixture.Anonymous.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var document = await response.Content.ReadFromJsonAsync<JsonElement>();
        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => op.Name.ToUpperInvariant() + " " + path.Name))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(
            [
                "DELETE /api/devices/{id}/commands/{commandId}",
                "DELETE /api/devices/{id}/credentials/{credentialId}",
                "GET /api/alerts",
                "GET /api/alerts/stream",
                "GET /api/devices",
                "GET /api/devices/{id}",
                "GET /api/devices/{id}/aggregates",
                "GET /api/devices/{id}/alerts",
                "GET /api/devices/{id}/changes",
                "GET /api/devices/{id}/commands",
                "GET /api/devices/{id}/commands/{commandId}",
                "GET /api/devices/{id}/credentials",
                "GET /api/devices/{id}/rules",
                "GET /api/fleet/changes",
                "GET /api/fleet/stats",
                "GET /api/me",
                "PATCH /api/devices/{id}/desired",
                "POST /api/alerts/{id}/ack",
                "POST /api/devices/{id}/commands",
                "POST /api/devices/{id}/credentials",
                "PUT /api/devices/{id}/tags",
            ],
            operations);
    }

    [Theory]
    [InlineData("/api/reference/", "text/html")]
    [InlineData("/api/reference/scalar.js", "text/javascript")]
    public async Task Reference_NoCredential_PageAndScript(string path, string mediaType)
    {
        using var response = await fixture.Anonymous.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
    }
}
