using System.Security.Claims;

namespace DeviceTwins.Api.Limits;

/// <summary>The name limits count a caller under: its authentication scheme and API key name or token subject.</summary>
public static class Credentials
{
    public static string Of(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Identity is { IsAuthenticated: true, Name: { } name } identity
            ? identity.AuthenticationType + ":" + name
            : "anonymous";
    }
}
