using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace DeviceTwins.Api.Security;

/// <summary>Answers a refused request with an RFC 9457 problem: 401 with WWW-Authenticate, or 403 naming the role needed.</summary>
public sealed class ProblemAuthorizationResultHandler(IOptions<AuthOptions> options) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    /// <inheritdoc />
    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        if (authorizeResult.Challenged)
        {
            var presented = context.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName) || ApiAuthentication.HasBearerToken(context);
            context.Response.Headers.Append(HeaderNames.WWWAuthenticate, $"ApiKey header=\"{ApiKeyAuthenticationHandler.HeaderName}\"");
            if (options.Value.Jwt.IsConfigured)
            {
                context.Response.Headers.Append(HeaderNames.WWWAuthenticate, ApiAuthentication.HasBearerToken(context) ? "Bearer error=\"invalid_token\"" : "Bearer");
            }

            await TypedResults.Problem(
                detail: presented
                    ? "The credential is not valid."
                    : $"Send an API key in the {ApiKeyAuthenticationHandler.HeaderName} header{(options.Value.Jwt.IsConfigured ? " or a bearer token" : string.Empty)}.",
                instance: context.Request.Path,
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Unauthorized").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        if (authorizeResult.Forbidden)
        {
            var needed = policy.Requirements.OfType<ApiRoleRequirement>().Select(r => r.Role).MaxBy(ApiRoles.Rank) ?? ApiRoles.Admin;
            var held = ApiRoles.Highest(context.User) ?? "none";
            var reason = authorizeResult.AuthorizationFailure?.FailureReasons.FirstOrDefault()?.Message;
            await TypedResults.Problem(
                detail: reason ?? $"This request needs the role '{needed}' (or a higher one); the credential has '{held}'.",
                instance: context.Request.Path,
                statusCode: StatusCodes.Status403Forbidden,
                title: "Forbidden").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        await _default.HandleAsync(next, context, policy, authorizeResult).ConfigureAwait(false);
    }
}
