using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;

namespace DeviceTwins.Api.Security;

/// <summary>Which scheme authenticates a request: the API key scheme (the default) forwards a bearer request to JWT.</summary>
public static class ApiAuthentication
{
    /// <summary>The scheme that authenticates <paramref name="context"/>: X-Api-Key wins, then a bearer token when JWT is configured.</summary>
    public static string Select(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName))
        {
            return ApiKeyAuthenticationHandler.SchemeName;
        }

        return HasBearerToken(context) && context.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value.Jwt.IsConfigured
            ? JwtBearerDefaults.AuthenticationScheme
            : ApiKeyAuthenticationHandler.SchemeName;
    }

    /// <summary>Whether the request carries "Authorization: Bearer ...".</summary>
    public static bool HasBearerToken(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var authorization = context.Request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);
    }
}
