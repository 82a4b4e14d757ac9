using System.Security.Claims;
using DeviceTwins.Api.Security;
using DeviceTwins.Grains.Interfaces.Models;
using Microsoft.Extensions.Options;

namespace DeviceTwins.UnitTests.Tenancy;

public sealed class ApiCallersTests
{
    private static ApiCallers Callers(string claim = "tenant", bool requireTenant = false) =>
        new(Options.Create(new AuthOptions { Jwt = new JwtOptions { TenantClaim = claim, RequireTenant = requireTenant } }));

    private static ClaimsPrincipal Key(string name, string role, string? tenant = null)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, name), new(ApiRoles.ClaimType, role) };
        if (tenant is not null)
        {
            claims.Add(new Claim(ApiCallers.TenantClaimType, tenant));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, ApiKeyAuthenticationHandler.SchemeName, ClaimTypes.Name, ApiRoles.ClaimType));
    }

    private static ClaimsPrincipal Token(params (string Type, string Value)[] claims) =>
        new(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)), "AuthenticationTypes.Federation", "sub", ApiRoles.ClaimType));

    [Fact]
    public void Key_NameTenantAndWhetherItMayAssignTenants()
    {
        var callers = Callers();
        Assert.Equal(new Caller("acme-writer", "acme", false), callers.Of(Key("acme-writer", "write", "acme")).Caller);
        Assert.Equal(new Caller("acme-operator", "acme", false), callers.Of(Key("acme-operator", "admin", "acme")).Caller);
        Assert.Equal(new Caller("operator", null, true), callers.Of(Key("operator", "admin")).Caller);
        Assert.Equal(new Caller("writer", null, false), callers.Of(Key("writer", "write")).Caller);
    }

    [Fact]
    public void Token_TenantFromTheConfiguredClaim_SubjectAsName()
    {
        Assert.Equal(new Caller("svc", "globex", false), Callers().Of(Token(("sub", "svc"), ("role", "write"), ("tenant", "globex"))).Caller);
        Assert.Equal(new Caller("svc", "initech", false), Callers("org").Of(Token(("sub", "svc"), ("role", "admin"), ("org", "initech"), ("tenant", "ignored"))).Caller);
        Assert.Equal(new Caller("ops", null, true), Callers().Of(Token(("sub", "ops"), ("role", "admin"))).Caller);
    }

    [Fact]
    public void InvalidRepeatedOrMissingRequiredTenant_RefusedWithTheReason()
    {
        Assert.Contains("not a tenant id", Callers().Of(Token(("sub", "x"), ("role", "read"), ("tenant", "Acme Corp"))).Error, StringComparison.Ordinal);
        Assert.Contains("more than once", Callers().Of(Token(("sub", "x"), ("role", "read"), ("tenant", "a"), ("tenant", "b"))).Error, StringComparison.Ordinal);
        Assert.Contains("RequireTenant", Callers(requireTenant: true).Of(Token(("sub", "x"), ("role", "read"))).Error, StringComparison.Ordinal);
        // RequireTenant concerns tokens: a platform operator's key stays of every tenant.
        Assert.Null(Callers(requireTenant: true).Of(Key("operator", "admin")).Error);
    }
}
