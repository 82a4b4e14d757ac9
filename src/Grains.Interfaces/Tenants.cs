namespace DeviceTwins.Grains.Interfaces;

/// <summary>
/// The rule for tenants: a device belongs to the tenant named by its reserved tag <see cref="TagKey"/>; a device without
/// it belongs to none and is seen only by callers of every tenant.
/// </summary>
public static class Tenants
{
    /// <summary>The reserved tag holding a device's tenant.</summary>
    public const string TagKey = "tenant";

    /// <summary>Longest tenant id, in characters.</summary>
    public const int MaxLength = 64;

    /// <summary>Human-readable statement of the rule, for error messages.</summary>
    public const string Rule = "1-64 characters from a-z, 0-9 and '-', '_', '.'";

    /// <summary>True when <paramref name="tenant"/> follows the rule.</summary>
    public static bool IsValid(ReadOnlySpan<char> tenant)
    {
        if (tenant.IsEmpty || tenant.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in tenant)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The tenant named by <paramref name="tags"/>, or null for a device of no tenant.</summary>
    public static string? Of(IReadOnlyDictionary<string, string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        return tags.TryGetValue(TagKey, out var tenant) ? tenant : null;
    }
}
