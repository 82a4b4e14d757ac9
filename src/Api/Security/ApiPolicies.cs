using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace DeviceTwins.Api.Security;

/// <summary>The authorization policies of the API, one per role, named after it.</summary>
public static class ApiPolicies
{
    /// <summary>GET endpoints.</summary>
    public const string Read = "api-read";

    /// <summary>Endpoints that change twins or acknowledge alerts.</summary>
    public const string Write = "api-write";

    /// <summary>Administrative endpoints.</summary>
    public const string Admin = "api-admin";

    private const string ProblemMediaType = "application/problem+json";

    /// <summary>An authenticated caller with at least <paramref name="role"/>.</summary>
    public static AuthorizationPolicy For(string role) =>
        new AuthorizationPolicyBuilder().RequireAuthenticatedUser().AddRequirements(new ApiRoleRequirement(role)).Build();

    /// <summary>
    /// Requires the read policy on the GET and HEAD endpoints of <paramref name="builder"/> and the write policy on all
    /// others (PUT, PATCH, POST, DELETE, or any method), unless an endpoint allows anonymous callers or names a policy itself.
    /// </summary>
    public static TBuilder RequireApiRoles<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Finally(endpoint =>
        {
            if (endpoint.Metadata.OfType<IAllowAnonymous>().Any() || endpoint.Metadata.OfType<IAuthorizeData>().Any())
            {
                return;
            }

            var methods = endpoint.Metadata.OfType<IHttpMethodMetadata>().LastOrDefault()?.HttpMethods;
            var readOnly = methods is { Count: > 0 } && methods.All(m => HttpMethods.IsGet(m) || HttpMethods.IsHead(m));
            endpoint.Metadata.Add(new AuthorizeAttribute(readOnly ? Read : Write));
            // The refusals, in the OpenAPI document: every role may read, so only writes can be forbidden.
            endpoint.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status401Unauthorized, typeof(ProblemDetails), [ProblemMediaType]));
            if (!readOnly)
            {
                endpoint.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status403Forbidden, typeof(ProblemDetails), [ProblemMediaType]));
            }
        });
        return builder;
    }
}
