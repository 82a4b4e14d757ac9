using System.Globalization;

namespace DeviceTwins.Api.Changes;

/// <summary>Event ids of the twin change stream: the twin's version, a non-negative decimal integer.</summary>
internal static class TwinEventIds
{
    /// <summary>The id of the event carrying twin version <paramref name="version"/>.</summary>
    public static string Format(long version) => version.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Reads the version a client last received from the Last-Event-ID header or, when it is absent, the lastEventId
    /// query parameter (for clients that cannot set headers); -1 when neither is given. False when one is malformed.
    /// </summary>
    public static bool TryParseLast(string? header, string? query, out long after)
    {
        after = -1;
        var text = string.IsNullOrEmpty(header) ? query : header;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (text.Length > 19 || !text.All(char.IsAsciiDigit))
        {
            return false;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out after);
    }
}
