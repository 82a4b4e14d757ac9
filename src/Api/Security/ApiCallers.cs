using System.Security.Claims;
using DeviceTwins.Grains.Interfaces;
using DeviceTwins.Grains.Interfaces.Models;
using Microsoft.Extensions.Options;

namespace DeviceTwins.Api.Security;

/// <summary>
/// Who a request comes from, as the twins see it: the credential's name (an API key's name, a token's subject), the
/// tenant it is confined to (an API key's Tenant, a token's tenant claim; none: every tenant) and whether it may
/// assign tenants (admin of every tenant).
/// </summary>
public sealed class ApiCallers(IOptions<AuthOptions> options)
{
    /// <summary>The claim an API key's tenant is carried in, and the default tenant claim of tokens.</summary>
    public const string TenantClaimType = "tenant";

    private readonly string _tokenTenantClaim = options.Value.Jwt.TenantClaim;
    private readonly bool _tokenTenantRequired = options.Value.Jwt.RequireTenant;

    /// <summary>
    /// The caller behind <paramref name="user"/>, or null with the reason when its tenant claim is not a valid tenant
    /// id, appears more than once, or is missing where Auth:Jwt:RequireTenant asks for it.
    /// </summary>
    public (Caller? Caller, string? Error) Of(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var isToken = user.Identity?.AuthenticationType != ApiKeyAuthenticationHandler.SchemeName;
        var claimType = isToken ? _tokenTenantClaim : TenantClaimType;
        var tenants = user.FindAll(claimType).Select(c => c.Value).ToList();
        if (tenants.Count > 1)
        {
            return (null, $"The credential carries the tenant claim '{claimType}' more than once.");
        }

        var tenant = tenants.Count == 1 ? tenants[0] : null;
        if (tenant is not null && !Tenants.IsValid(tenant))
        {
            return (null, $"The credential's tenant claim '{claimType}' is not a tenant id ({Tenants.Rule}).");
        }

        if (tenant is null && isToken && _tokenTenantRequired)
        {
            return (null, $"The token carries no tenant claim '{claimType}' (Auth:Jwt:RequireTenant).");
        }

        var name = user.Identity?.Name ?? user.FindFirst("sub")?.Value ?? "unknown";
        var admin = ApiRoles.Rank(ApiRoles.Highest(user)) >= ApiRoles.Rank(ApiRoles.Admin);
        return (new Caller(name, tenant, admin && tenant is null), null);
    }

    /// <summary>
    /// The caller of the current request, read from its claims once (the authorization policy has already refused one
    /// whose tenant is not valid).
    /// </summary>
    public Caller Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Items.TryGetValue(typeof(Caller), out var known) && known is Caller caller)
        {
            return caller;
        }

        caller = Of(context.User).Caller ?? throw new InvalidOperationException("The request's tenant claim was not validated by the authorization policy.");
        context.Items[typeof(Caller)] = caller;
        return caller;
    }
}
