using System.Net;
using DeviceTwins.Api.Security;
using DeviceTwins.EndToEndTests;
using DeviceTwins.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace DeviceTwins.ApiTests;

/// <summary>Limits that keep the API serving: event streams capped per credential and per process, request rates per credential.</summary>
[Collection(ApiCollection.Name)]
public sealed class LimitsTests(ApiFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Streams_BeyondTheCredentialsCap_429_BeyondTheProcesssCap_503_BothWithRetryAfter_AndAClosedStreamFreesItsPlace()
    {
        var id = ApiFixture.NewDeviceId("capped");
        await fixture.ProduceAsync(id, ApiFixture.Telemetry(id, fixture.Clock.GetUtcNow().AddSeconds(-30), ("temperature", 20)));
        await fixture.Reader.WaitForMessageCountAsync(id, 1);
        await using var api = fixture.Api.WithWebHostBuilder(web => web
            .UseSetting("Api:Limits:MaxStreamsPerCredential", "2")
            .UseSetting("Api:Limits:MaxStreams", "3"));
        using var reader = Client(api, ApiFixture.ReadKey);
        using var writer = Client(api, ApiFixture.WriteKey);
        using var admin = Client(api, ApiFixture.AdminKey);
        var path = $"/api/devices/{id}/changes";

        var first = await OpenAsync(reader, path);
        await using var second = await OpenAsync(reader, path);
        using (var third = await reader.GetAsync(new Uri(path, UriKind.Relative)))
        {
            await Problems.AssertAsync(third, HttpStatusCode.TooManyRequests, "Too many streams");
            Assert.Equal(TimeSpan.FromSeconds(10), third.Headers.RetryAfter?.Delta);
        }

        await using var others = await OpenAsync(writer, path);
        using (var fourth = await admin.GetAsync(new Uri(path, UriKind.Relative)))
        {
            await Problems.AssertAsync(fourth, HttpStatusCode.ServiceUnavailable, "Service unavailable");
            Assert.Equal(TimeSpan.FromSeconds(10), fourth.Headers.RetryAfter?.Delta);
        }

        // The server sees the client leave a moment later; then the credential may open a stream again.
        await first.DisposeAsync();
        using var admitted = await Eventually.Until(
            async () => await reader.GetAsync(new Uri(path, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead),
            response => response.StatusCode == HttpStatusCode.OK,
            Timeout,
            response => $"a stream admitted after one of the credential's closed; last {(int)response.StatusCode}");
    }

    [Fact]
    public async Task Requests_BeyondTheCredentialsRate_429ProblemWithRetryAfter_OtherCredentialsAndHealthUnaffected()
    {
        await using var api = fixture.Api.WithWebHostBuilder(web => web
            .UseSetting("Api:Limits:RequestsPerSecond", "1")
            .UseSetting("Api:Limits:RequestBurst", "3"));
        using var reader = Client(api, ApiFixture.ReadKey);
        using var writer = Client(api, ApiFixture.WriteKey);
        using var anonymous = api.CreateClient();

        // A bucket of 3 refilled by 1 a second: 20 requests in a row cannot all pass.
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 20 && refused is null; i++)
        {
            var response = await reader.GetAsync(new Uri("/api/alerts?limit=1", UriKind.Relative));
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused = response;
            }
            else
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                response.Dispose();
            }
        }

        Assert.NotNull(refused);
        using (refused)
        {
            var problem = await Problems.AssertAsync(refused, HttpStatusCode.TooManyRequests, "Too many requests");
            Assert.Equal("/api/alerts", problem.GetProperty("instance").GetString());
            Assert.InRange(refused.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));
        }

        using (var other = await writer.GetAsync(new Uri("/api/alerts?limit=1", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        }

        for (var i = 0; i < 10; i++)
        {
            using var live = await anonymous.GetAsync(new Uri("/health/live", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }
    }

    private static HttpClient Client(WebApplicationFactory<Program> api, string key)
    {
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, key);
        return client;
    }

    private static async Task<SseClient> OpenAsync(HttpClient client, string path)
    {
        var stream = await SseClient.OpenAsync(client, path);
        // The twin comes first: the stream is open and counted.
        Assert.Equal("twin", (await stream.NextAsync(Timeout)).Type);
        return stream;
    }
}
