namespace DeviceTwins.Api.Security;

/// <summary>One API key (Auth:ApiKeys:N): a name for logs, the key's hash, never the key, and its role.</summary>
public sealed class ApiKeyOptions
{
    /// <summary>Who holds the key; shown as the caller's name, never the key.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The key's hash, <c>sha256:</c> followed by the 64 hex digits of SHA-256 over the key's UTF-8 bytes.</summary>
    public string Hash { get; set; } = string.Empty;

    /// <summary>read, write or admin.</summary>
    public string Role { get; set; } = ApiRoles.Read;

    /// <summary>The tenant the key is confined to; empty: every tenant (a platform operator's key).</summary>
    public string Tenant { get; set; } = string.Empty;
}
