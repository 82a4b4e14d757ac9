using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace DeviceTwins.Api.Security;

/// <summary>Authenticates the X-Api-Key header against <see cref="ApiKeyStore"/>; the key never appears in a result, log or response.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    CachedLoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyStore keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme's name.</summary>
    public const string SchemeName = "ApiKey";

    /// <summary>The header carrying the key.</summary>
    public const string HeaderName = "X-Api-Key";

    /// <inheritdoc />
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (values.Count != 1 || string.IsNullOrWhiteSpace(values[0]))
        {
            return Task.FromResult(AuthenticateResult.Fail("The X-Api-Key header must hold exactly one key."));
        }

        if (keys.Find(values[0]!.Trim()) is not { } match)
        {
            return Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));
        }

        Claim[] claims = match.Tenant is null
            ? [new Claim(ClaimTypes.Name, match.Name), new Claim(ApiRoles.ClaimType, match.Role)]
            : [new Claim(ClaimTypes.Name, match.Name), new Claim(ApiRoles.ClaimType, match.Role), new Claim(ApiCallers.TenantClaimType, match.Tenant)];
        var identity = new ClaimsIdentity(
            claims,
            SchemeName,
            ClaimTypes.Name,
            ApiRoles.ClaimType);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}
