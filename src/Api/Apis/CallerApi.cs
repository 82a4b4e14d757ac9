using DeviceTwins.Api.Contracts;
using DeviceTwins.Api.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DeviceTwins.Api.Apis;

/// <summary>REST endpoint telling a client who its credential is, so a console offers only what the role allows.</summary>
public static class CallerApi
{
    /// <summary>Maps GET /api/me.</summary>
    public static RouteHandlerBuilder MapCallerApi(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        return routes.MapGet("/api/me", GetCaller)
            .WithTags("Session")
            .WithName("GetCaller")
            .WithSummary("Names the caller: the credential's name, its highest role (read, write, admin) and its tenant (left out: every tenant).");
    }

    /// <summary>GET /api/me.</summary>
    public static Ok<CallerResponse> GetCaller(ApiCallers callers, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(callers);
        ArgumentNullException.ThrowIfNull(context);
        var caller = callers.Of(context);
        return TypedResults.Ok(new CallerResponse(caller.Name, ApiRoles.Highest(context.User) ?? ApiRoles.Read, caller.Tenant));
    }
}
