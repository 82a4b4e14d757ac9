using System.Globalization;

namespace DeviceTwins.Nab.Data;

/// <summary>NAB's timestamp text, culture-invariant: <c>yyyy-MM-dd HH:mm:ss</c> in data files, optionally with a fraction in windows files.</summary>
public static class NabTimestamp
{
    /// <summary>The format NAB's data and results files use.</summary>
    public const string Format = "yyyy-MM-dd HH:mm:ss";

    private static readonly string[] Formats = [Format, "yyyy-MM-dd HH:mm:ss.FFFFFFF"];

    /// <summary>Parses a NAB timestamp; false when the text is not one.</summary>
    public static bool TryParse(string text, out DateTime timestamp) =>
        DateTime.TryParseExact(text, Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out timestamp);

    /// <summary>Formats a timestamp as NAB's data files do.</summary>
    public static string ToText(DateTime timestamp) => timestamp.ToString(Format, CultureInfo.InvariantCulture);
}
