using Microsoft.AspNetCore.Authorization;

namespace DeviceTwins.Api.Security;

/// <summary>
/// Requires a role at least as high as <see cref="Role"/> (write implies read, admin implies all) and a caller whose
/// tenant claim, if any, is a valid tenant id.
/// </summary>
public sealed class ApiRoleRequirement(string role) : AuthorizationHandler<ApiRoleRequirement>, IAuthorizationRequirement
{
    /// <summary>The lowest role that passes.</summary>
    public string Role { get; } = role;

    /// <inheritdoc />
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ApiRoleRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(requirement);
        if (context.User.Identity?.IsAuthenticated != true || ApiRoles.Rank(ApiRoles.Highest(context.User)) < ApiRoles.Rank(requirement.Role))
        {
            return Task.CompletedTask;
        }

        var callers = (context.Resource as HttpContext)?.RequestServices.GetService<ApiCallers>();
        if (callers is not null && callers.Of(context.User).Error is { } error)
        {
            context.Fail(new AuthorizationFailureReason(this, error));
            return Task.CompletedTask;
        }

        context.Succeed(requirement);

        return Task.CompletedTask;
    }
}
