namespace DeviceTwins.Api.Security;

/// <summary>Credentials the REST API accepts (section "Auth"): hashed API keys and JWT bearer tokens.</summary>
public sealed class AuthOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Auth";

    /// <summary>API keys sent in the X-Api-Key header, each stored as a hash with a name and a role.</summary>
    public List<ApiKeyOptions> ApiKeys { get; set; } = [];

    /// <summary>JWT bearer tokens; off unless an authority or a signing key is set.</summary>
    public JwtOptions Jwt { get; set; } = new();

    /// <summary>When no key and no JWT is configured, generate (or reuse) a development admin key in <see cref="DevelopmentKeyFile"/>.</summary>
    public bool DevelopmentKey { get; set; } = true;

    /// <summary>Where the development key is kept, relative to the working directory.</summary>
    public string DevelopmentKeyFile { get; set; } = Path.Combine(".devicetwins", "api-key");

    /// <summary>True when at least one credential (a key or JWT) is configured.</summary>
    public bool HasCredentials => ApiKeys.Count > 0 || Jwt.IsConfigured;
}
