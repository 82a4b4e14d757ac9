namespace DeviceTwins.Api.Security;

/// <summary>JWT bearer settings (Auth:Jwt): an OpenID Connect authority, or an issuer with a symmetric signing key.</summary>
public sealed class JwtOptions
{
    /// <summary>OpenID Connect authority whose discovery document gives the issuer and signing keys.</summary>
    public string Authority { get; set; } = string.Empty;

    /// <summary>The expected issuer (iss); required with <see cref="SigningKey"/>.</summary>
    public string Issuer { get; set; } = string.Empty;

    /// <summary>The expected audience (aud); required.</summary>
    public string Audience { get; set; } = string.Empty;

    /// <summary>Base64 HMAC-SHA256 signing key of at least 32 bytes, when no authority is used.</summary>
    public string SigningKey { get; set; } = string.Empty;

    /// <summary>The claim carrying the tenant a token is confined to; a token without it is of every tenant.</summary>
    public string TenantClaim { get; set; } = ApiCallers.TenantClaimType;

    /// <summary>Whether a token must carry <see cref="TenantClaim"/>: set it when the issuer serves tenants only, never platform operators.</summary>
    public bool RequireTenant { get; set; }

    /// <summary>Whether the authority's metadata must be fetched over HTTPS.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>
    /// The operator console's client id at <see cref="Authority"/> (a public client: authorization code with PKCE, redirect
    /// URI the platform's own address followed by /); set, the console offers to sign in with the authority.
    /// </summary>
    public string ConsoleClientId { get; set; } = string.Empty;

    /// <summary>The scopes the console asks the authority for (its access token must carry <see cref="Audience"/>).</summary>
    public string ConsoleScope { get; set; } = "openid profile";

    /// <summary>True when tokens are accepted.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Authority) || !string.IsNullOrWhiteSpace(SigningKey);
}
