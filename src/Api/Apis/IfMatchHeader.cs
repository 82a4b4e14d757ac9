using System.Globalization;
using DeviceTwins.Grains.Interfaces.Models;
using Microsoft.Extensions.Primitives;

namespace DeviceTwins.Api.Apis;

/// <summary>Parses If-Match (RFC 9110 section 13.1.1) against twin versions: <c>*</c> or strong entity tags <c>"&lt;version&gt;"</c>.</summary>
internal static class IfMatchHeader
{
    /// <summary>False when the header is malformed; otherwise the precondition, null when there is no header.</summary>
    public static bool TryParse(StringValues values, out VersionPrecondition? condition)
    {
        condition = null;
        if (StringValues.IsNullOrEmpty(values))
        {
            return true;
        }

        var versions = new List<long>();
        var any = false;
        foreach (var value in values)
        {
            foreach (var part in (value ?? string.Empty).Split(',', StringSplitOptions.TrimEntries))
            {
                if (part == "*")
                {
                    any = true;
                }
                else if (part.Length > 2 && part[0] == '"' && part[^1] == '"'
                    && long.TryParse(part.AsSpan(1, part.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
                {
                    versions.Add(version);
                }
                else
                {
                    // Weak tags (W/"1") never match with If-Match; anything else is not an entity tag of a twin.
                    return false;
                }
            }
        }

        // "*" stands alone (RFC 9110: If-Match = "*" / #entity-tag).
        if (any && versions.Count > 0)
        {
            return false;
        }

        condition = new VersionPrecondition(any, versions);
        return true;
    }
}
