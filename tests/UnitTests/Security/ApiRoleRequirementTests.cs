using System.Security.Claims;
using DeviceTwins.Api.Security;
using Microsoft.AspNetCore.Authorization;

namespace DeviceTwins.UnitTests.Security;

/// <summary>Roles are ordered: write implies read, admin implies both; tokens may carry "role" or "roles".</summary>
public sealed class ApiRoleRequirementTests
{
    [Theory]
    [InlineData("read", "read", true)]
    [InlineData("read", "write", false)]
    [InlineData("read", "admin", false)]
    [InlineData("write", "read", true)]
    [InlineData("write", "write", true)]
    [InlineData("write", "admin", false)]
    [InlineData("admin", "read", true)]
    [InlineData("admin", "write", true)]
    [InlineData("admin", "admin", true)]
    [InlineData("ADMIN", "write", true)]
    [InlineData("operator", "read", false)]
    public async Task Requirement_RoleAgainstNeeded_SucceedsOnlyAtOrAbove(string held, string needed, bool expected)
    {
        Assert.Equal(expected, await SucceedsAsync(User(new Claim("role", held)), needed));
    }

    [Fact]
    public async Task Requirement_RolesClaims_HighestCounts()
    {
        var user = User(new Claim("roles", "read"), new Claim("roles", "write"));
        Assert.True(await SucceedsAsync(user, ApiRoles.Write));
        Assert.False(await SucceedsAsync(user, ApiRoles.Admin));
        Assert.True(await SucceedsAsync(User(new Claim("roles", "read admin")), ApiRoles.Admin));
        Assert.True(await SucceedsAsync(User(new Claim(ClaimTypes.Role, "write")), ApiRoles.Write));
    }

    [Fact]
    public async Task Requirement_NoRoleOrAnonymous_Fails()
    {
        Assert.False(await SucceedsAsync(User(new Claim("sub", "x")), ApiRoles.Read));
        Assert.False(await SucceedsAsync(new ClaimsPrincipal(new ClaimsIdentity([new Claim("role", "admin")])), ApiRoles.Read));
        Assert.Null(ApiRoles.Highest(new ClaimsPrincipal()));
    }

    private static ClaimsPrincipal User(params Claim[] claims) => new(new ClaimsIdentity(claims, "test"));

    private static async Task<bool> SucceedsAsync(ClaimsPrincipal user, string role)
    {
        var requirement = new ApiRoleRequirement(role);
        var context = new AuthorizationHandlerContext([requirement], user, resource: null);
        await requirement.HandleAsync(context);
        return context.HasSucceeded;
    }
}
