using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;

namespace DeviceTwins.Api.Security;

/// <summary>The API's default authentication scheme: forwards to the API key or the JWT bearer scheme by the request's headers.</summary>
public static class ApiAuthentication
{
    /// <summary>The forwarding (policy) scheme's name.</summary>
    public const string SchemeName = "DeviceTwins";

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
