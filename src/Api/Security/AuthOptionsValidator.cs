using DeviceTwins.Grains.Interfaces;
using Microsoft.Extensions.Options;

namespace DeviceTwins.Api.Security;

/// <summary>Validates <see cref="AuthOptions"/>, naming the offending key; never echoes a hash or a signing key.</summary>
public sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var section = AuthOptions.SectionName;
        for (var i = 0; i < options.ApiKeys.Count; i++)
        {
            var key = options.ApiKeys[i];
            var prefix = $"{section}:{nameof(options.ApiKeys)}:{i}";
            if (string.IsNullOrWhiteSpace(key.Name))
            {
                failures.Add($"{prefix}:{nameof(key.Name)} is required.");
            }

            if (!ApiKeyHash.TryParse(key.Hash, out _))
            {
                failures.Add($"{prefix}:{nameof(key.Hash)} must be '{ApiKeyHash.Prefix}' followed by the 64 hex digits of the key's SHA-256.");
            }

            if (ApiRoles.Rank(key.Role) == 0)
            {
                failures.Add($"{prefix}:{nameof(key.Role)} must be {ApiRoles.Read}, {ApiRoles.Write} or {ApiRoles.Admin}.");
            }

            if (!string.IsNullOrWhiteSpace(key.Tenant) && !Tenants.IsValid(key.Tenant.Trim()))
            {
                failures.Add($"{prefix}:{nameof(key.Tenant)} must be empty (every tenant) or a tenant id: {Tenants.Rule}.");
            }
        }

        var jwt = options.Jwt;
        var jwtPrefix = $"{section}:{nameof(options.Jwt)}";
        if (jwt.IsConfigured)
        {
            if (!string.IsNullOrWhiteSpace(jwt.Authority) && !string.IsNullOrWhiteSpace(jwt.SigningKey))
            {
                failures.Add($"{jwtPrefix}:{nameof(jwt.Authority)} and {jwtPrefix}:{nameof(jwt.SigningKey)} exclude each other.");
            }

            if (!string.IsNullOrWhiteSpace(jwt.Authority) && !Uri.TryCreate(jwt.Authority, UriKind.Absolute, out _))
            {
                failures.Add($"{jwtPrefix}:{nameof(jwt.Authority)} must be an absolute URL.");
            }

            if (string.IsNullOrWhiteSpace(jwt.TenantClaim))
            {
                failures.Add($"{jwtPrefix}:{nameof(jwt.TenantClaim)} is required (default 'tenant').");
            }

            if (string.IsNullOrWhiteSpace(jwt.Audience))
            {
                failures.Add($"{jwtPrefix}:{nameof(jwt.Audience)} is required with JWT.");
            }

            if (!string.IsNullOrWhiteSpace(jwt.SigningKey))
            {
                if (string.IsNullOrWhiteSpace(jwt.Issuer))
                {
                    failures.Add($"{jwtPrefix}:{nameof(jwt.Issuer)} is required with {jwtPrefix}:{nameof(jwt.SigningKey)}.");
                }

                if (JwtSigningKey.TryDecode(jwt.SigningKey) is not { Length: >= 32 })
                {
                    failures.Add($"{jwtPrefix}:{nameof(jwt.SigningKey)} must be base64 of at least 32 bytes.");
                }
            }
        }

        if (!string.IsNullOrWhiteSpace(jwt.ConsoleClientId) && string.IsNullOrWhiteSpace(jwt.Authority))
        {
            failures.Add($"{jwtPrefix}:{nameof(jwt.ConsoleClientId)} needs {jwtPrefix}:{nameof(jwt.Authority)}: the console signs in with an OpenID Connect authority.");
        }

        if (string.IsNullOrWhiteSpace(options.DevelopmentKeyFile))
        {
            failures.Add($"{section}:{nameof(options.DevelopmentKeyFile)} is required.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
