using System.Security.Claims;

namespace DeviceTwins.Api.Security;

/// <summary>The API's roles, ordered: write implies read, admin implies write and read.</summary>
public static class ApiRoles
{
    /// <summary>GET endpoints.</summary>
    public const string Read = "read";

    /// <summary>Endpoints that change twins or acknowledge alerts, and everything read allows.</summary>
    public const string Write = "write";

    /// <summary>Everything.</summary>
    public const string Admin = "admin";

    /// <summary>The claim an API key's role is carried in; tokens may use "role" or "roles".</summary>
    public const string ClaimType = "role";

    /// <summary>The rank of <paramref name="role"/> (read 1, write 2, admin 3), 0 for anything else.</summary>
    public static int Rank(string? role) => role?.Trim().ToLowerInvariant() switch
    {
        Read => 1,
        Write => 2,
        Admin => 3,
        _ => 0,
    };

    /// <summary>The highest role among the principal's role claims ("role", "roles", or the standard role type), or null.</summary>
    public static string? Highest(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        string? best = null;
        foreach (var claim in user.Claims)
        {
            if (claim.Type is not (ClaimType or "roles" or ClaimTypes.Role))
            {
                continue;
            }

            // A claim may hold several roles separated by spaces (as scope-like claims do).
            foreach (var value in claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (Rank(value) > Rank(best))
                {
                    best = value.ToLowerInvariant();
                }
            }
        }

        return best;
    }
}
