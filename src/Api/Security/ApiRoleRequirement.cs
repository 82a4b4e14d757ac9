using Microsoft.AspNetCore.Authorization;

namespace DeviceTwins.Api.Security;

/// <summary>Requires a role at least as high as <see cref="Role"/> (write implies read, admin implies all).</summary>
public sealed class ApiRoleRequirement(string role) : AuthorizationHandler<ApiRoleRequirement>, IAuthorizationRequirement
{
    /// <summary>The lowest role that passes.</summary>
    public string Role { get; } = role;

    /// <inheritdoc />
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ApiRoleRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(requirement);
        if (context.User.Identity?.IsAuthenticated == true && ApiRoles.Rank(ApiRoles.Highest(context.User)) >= ApiRoles.Rank(requirement.Role))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
