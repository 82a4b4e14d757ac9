using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DeviceTwins.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace DeviceTwins.EndToEndTests;

/// <summary>
/// An OpenID Connect issuer for the console's sign-in tests, on a free local port: discovery, keys (RS256), an
/// authorization endpoint that signs in one fixed user at once (a real authority shows its login page here), and a token
/// endpoint that checks the code, the client, the redirect URI and the PKCE verifier before it issues an access token.
/// </summary>
internal sealed class TestOidcIssuer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RSA _key = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, (string Challenge, string RedirectUri)> _codes = new();

    private TestOidcIssuer(WebApplication app, string authority, string clientId, string audience, string subject, string role)
    {
        _app = app;
        Authority = authority;
        app.Use(async (context, next) =>
        {
            // The console calls discovery and the token endpoint from the browser, from the platform's origin.
            context.Response.Headers.AccessControlAllowOrigin = "*";
            await next(context);
        });
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = authority,
            ["authorization_endpoint"] = authority + "/authorize",
            ["token_endpoint"] = authority + "/token",
            ["jwks_uri"] = authority + "/jwks",
            ["response_types_supported"] = new[] { "code" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["code_challenge_methods_supported"] = new[] { "S256" },
        }));
        app.MapGet("/jwks", () =>
        {
            var parameters = _key.ExportParameters(false);
            return Results.Json(new { keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = "test", n = Base64Url(parameters.Modulus!), e = Base64Url(parameters.Exponent!) } } });
        });
        app.MapGet("/authorize", (HttpRequest request) =>
        {
            var query = request.Query;
            if (query["client_id"] != clientId || query["response_type"] != "code" || query["code_challenge_method"] != "S256" || string.IsNullOrEmpty(query["code_challenge"]))
            {
                return Results.BadRequest("unknown client or not a PKCE code request");
            }

            var code = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            _codes[code] = (query["code_challenge"]!, query["redirect_uri"]!);
            Authorizations++;
            return Results.Redirect($"{query["redirect_uri"]}?code={code}&state={Uri.EscapeDataString(query["state"]!)}");
        });
        app.MapPost("/token", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            if (form["grant_type"] != "authorization_code" || form["client_id"] != clientId || !_codes.TryRemove(form["code"].ToString(), out var issued))
            {
                return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
            }

            var verifier = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(form["code_verifier"].ToString())));
            if (verifier != issued.Challenge || form["redirect_uri"] != issued.RedirectUri)
            {
                return Results.Json(new { error = "invalid_grant", error_description = "PKCE verifier or redirect URI mismatch" }, statusCode: 400);
            }

            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var token = Sign(new { iss = authority, aud = audience, sub = subject, role, iat = now, nbf = now, exp = now + 600 });
            return Results.Json(new { access_token = token, token_type = "Bearer", expires_in = 600 });
        });
    }

    public string Authority { get; }

    /// <summary>Sign-ins the authorization endpoint granted.</summary>
    public int Authorizations { get; private set; }

    public static async Task<TestOidcIssuer> StartAsync(string clientId, string audience, string subject, string role)
    {
        var port = TestEnvironment.FreePort();
        var authority = $"http://127.0.0.1:{port}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(authority);
        builder.Logging.ClearProviders();
        var issuer = new TestOidcIssuer(builder.Build(), authority, clientId, audience, subject, role);
        await issuer._app.StartAsync();
        return issuer;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _key.Dispose();
    }

    private string Sign(object claims)
    {
        var header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { alg = "RS256", typ = "JWT", kid = "test" }));
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = _key.SignData(Encoding.ASCII.GetBytes($"{header}.{payload}"), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{header}.{payload}.{Base64Url(signature)}";
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
