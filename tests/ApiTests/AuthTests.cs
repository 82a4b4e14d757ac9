using System.Net;
using System.Text;

namespace DeviceTwins.ApiTests;

/// <summary>Every route against every kind of caller: no credential, a wrong key, each role's key, JWTs with each role, a rejected JWT.</summary>
[Collection(ApiCollection.Name)]
public sealed class AuthTests(ApiFixture fixture)
{
    private static readonly string ZeroAlert = new('0', 32);

    /// <summary>Method, path, whether it writes, and the status once past authorization (the paths are chosen to answer at once).</summary>
    private static readonly (string Method, string Path, bool Writes, HttpStatusCode Allowed)[] Routes =
    [
        ("GET", "/api/devices/auth-unknown", false, HttpStatusCode.NotFound),
        ("GET", "/api/devices/auth-unknown/alerts", false, HttpStatusCode.NotFound),
        ("GET", "/api/devices/auth-unknown/aggregates", false, HttpStatusCode.NotFound),
        ("GET", "/api/devices/auth-unknown/rules", false, HttpStatusCode.OK),
        ("GET", "/api/devices/auth-unknown/changes", false, HttpStatusCode.NotFound),
        ("GET", "/api/devices?limit=1", false, HttpStatusCode.OK),
        ("GET", "/api/alerts?limit=1", false, HttpStatusCode.OK),
        // A malformed position is refused past authorization, at once (opening the stream itself is covered by LiveChangesTests).
        ("GET", "/api/alerts/stream?lastEventId=x", false, HttpStatusCode.BadRequest),
        ("GET", "/api/fleet/changes?cursor=x", false, HttpStatusCode.BadRequest),
        ("PUT", "/api/devices/auth-unknown/tags", true, HttpStatusCode.NotFound),
        ("PATCH", "/api/devices/{new}/desired", true, HttpStatusCode.OK),
        ("POST", "/api/alerts/" + ZeroAlert + "/ack", true, HttpStatusCode.NotFound),
    ];

    /// <summary>Credential name, header, and the role it carries (null: none or rejected).</summary>
    private static readonly Dictionary<string, ((string Name, string Value)? Header, string? Role)> Credentials = new()
    {
        ["none"] = (null, null),
        ["wrong key"] = (("X-Api-Key", "dt_wrong-key-that-must-never-be-echoed-00000"), null),
        ["empty key"] = (("X-Api-Key", " "), null),
        ["read key"] = (("X-Api-Key", ApiFixture.ReadKey), "read"),
        ["write key"] = (("X-Api-Key", ApiFixture.WriteKey), "write"),
        ["admin key"] = (("X-Api-Key", ApiFixture.AdminKey), "admin"),
        ["read jwt"] = (("Authorization", "Bearer " + ApiFixture.Token(new() { ["role"] = "read" })), "read"),
        ["write jwt"] = (("Authorization", "Bearer " + ApiFixture.Token(new() { ["roles"] = new[] { "read", "write" } })), "write"),
        ["admin jwt"] = (("Authorization", "Bearer " + ApiFixture.Token(new() { ["role"] = "admin" })), "admin"),
        ["jwt without role"] = (("Authorization", "Bearer " + ApiFixture.Token(new() { ["sub"] = "nobody" })), "none"),
        ["jwt other audience"] = (("Authorization", "Bearer " + ApiFixture.Token(new() { ["role"] = "admin" }, audience: "someone-else")), null),
        ["jwt other key"] = (("Authorization", "Bearer " + ApiFixture.Token(new() { ["role"] = "admin" }, key: Encoding.UTF8.GetBytes("another-signing-key-of-32-bytes-or-more!!"))), null),
        ["garbage bearer"] = (("Authorization", "Bearer not.a.token"), null),
    };

    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var route in Routes)
        {
            foreach (var credential in Credentials.Keys)
            {
                data.Add(credential, route.Method, route.Path);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Route_Credential_401Or403OrPassage(string credential, string method, string path)
    {
        var route = Routes.Single(r => r.Method == method && r.Path == path);
        var (header, role) = Credentials[credential];
        var actual = path.Replace("{new}", ApiFixture.NewDeviceId("auth"), StringComparison.Ordinal);
        using var response = await SendAsync(method, actual, header);
        if (role is null)
        {
            var problem = await Problems.AssertAsync(response, HttpStatusCode.Unauthorized, "Unauthorized");
            Assert.Equal(actual.Split('?')[0], problem.GetProperty("instance").GetString());
            var challenges = response.Headers.WwwAuthenticate.Select(h => h.ToString()).ToList();
            Assert.Contains("ApiKey header=\"X-Api-Key\"", challenges);
            Assert.Contains(challenges, c => c.StartsWith("Bearer", StringComparison.Ordinal));
            if (credential.Contains("jwt", StringComparison.Ordinal) || credential.Contains("bearer", StringComparison.Ordinal))
            {
                Assert.Contains("Bearer error=\"invalid_token\"", challenges);
            }

            AssertNoCredentialEchoed(response, await response.Content.ReadAsStringAsync(), header);
            return;
        }

        var allowed = route.Writes ? role is "write" or "admin" : role is "read" or "write" or "admin";
        if (!allowed)
        {
            var problem = await Problems.AssertAsync(response, HttpStatusCode.Forbidden, "Forbidden");
            Assert.Contains(route.Writes ? "'write'" : "'read'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            AssertNoCredentialEchoed(response, problem.GetRawText(), header);
            return;
        }

        Assert.Equal(route.Allowed, response.StatusCode);
    }

    [Fact]
    public async Task UnknownRoute_NoCredential401_WithKey404Problem()
    {
        using (var anonymous = await SendAsync("GET", "/api/nothing", null))
        {
            await Problems.AssertAsync(anonymous, HttpStatusCode.Unauthorized);
        }

        using var known = await SendAsync("GET", "/api/nothing", ("X-Api-Key", ApiFixture.ReadKey));
        await Problems.AssertAsync(known, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Logs_NeverHoldAKeyOrAToken()
    {
        // Every credential against a read and a write, so that authentication, refusals and passage all log.
        foreach (var (header, _) in Credentials.Values)
        {
            using (await SendAsync("GET", "/api/devices/auth-logs", header))
            using (await SendAsync("PATCH", "/api/devices/auth-logs/desired", header))
            {
            }
        }

        var logs = fixture.Logs.Messages;
        Assert.Contains(logs, m => m.Contains("was not authenticated", StringComparison.Ordinal) || m.Contains("Authorization failed", StringComparison.Ordinal));
        var text = string.Join("\n", logs);
        foreach (var (header, _) in Credentials.Values)
        {
            if (header is { } h && h.Value.Trim().Length > 0)
            {
                var secret = h.Value.StartsWith("Bearer ", StringComparison.Ordinal) ? h.Value["Bearer ".Length..] : h.Value;
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
                if (secret.Split('.') is [_, _, { Length: > 20 } signature])
                {
                    // Nor the signature alone (the part of a JWT that matters).
                    Assert.DoesNotContain(signature, text, StringComparison.Ordinal);
                }
            }
        }
    }

    private async Task<HttpResponseMessage> SendAsync(string method, string path, (string Name, string Value)? header)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        if (header is { } h)
        {
            request.Headers.TryAddWithoutValidation(h.Name, h.Value);
        }

        if (method is "PATCH" or "PUT")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, method == "PATCH" ? Requests.MergePatch : "application/json");
        }

        // Streams answer 200 at once and then stay open: their headers are enough.
        return await fixture.Anonymous.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    private static void AssertNoCredentialEchoed(HttpResponseMessage response, string body, (string Name, string Value)? header)
    {
        if (header is not { } h || h.Value.Trim().Length == 0)
        {
            return;
        }

        var headers = string.Join("\n", response.Headers.Concat(response.Content.Headers).Select(x => x.Key + ": " + string.Join(",", x.Value)));
        var secret = h.Value.StartsWith("Bearer ", StringComparison.Ordinal) ? h.Value["Bearer ".Length..] : h.Value;
        Assert.DoesNotContain(secret, body, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, headers, StringComparison.Ordinal);
    }
}
