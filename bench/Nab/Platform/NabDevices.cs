using System.Text;

namespace DeviceTwins.Nab.Platform;

/// <summary>How a NAB series becomes one device's telemetry: its device id, metric name and event times.</summary>
public static class NabDevices
{
    /// <summary>The metric every series is sent as.</summary>
    public const string Metric = "value";

    /// <summary>The longest device id the telemetry contract accepts.</summary>
    public const int MaxIdLength = 128;

    /// <summary>
    /// The device id of series <paramref name="seriesKey"/> (<c>category/series.csv</c>): <c>nab-[run-]category:series</c>, every
    /// character outside the contract's <c>[A-Za-z0-9._:@-]</c> replaced by '_'. A run tag keeps replays on one platform apart.
    /// </summary>
    public static string DeviceId(string seriesKey, string? run = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(seriesKey);
        var slash = seriesKey.LastIndexOf('/');
        var name = Path.GetFileNameWithoutExtension(seriesKey[(slash + 1)..]);
        var text = new StringBuilder("nab-");
        if (!string.IsNullOrEmpty(run))
        {
            text.Append(run).Append('-');
        }

        text.Append(slash < 0 ? "" : seriesKey[..slash]).Append(':').Append(name);
        for (var i = 0; i < text.Length; i++)
        {
            if (!IsIdCharacter(text[i]))
            {
                text[i] = '_';
            }
        }

        return text.Length <= MaxIdLength
            ? text.ToString()
            : throw new ArgumentException($"The device id of {seriesKey} would be {text.Length} characters; the contract allows {MaxIdLength}.", nameof(seriesKey));
    }

    /// <summary>A NAB timestamp (no zone in the files) as the UTC event time it is replayed at.</summary>
    public static DateTimeOffset EventTime(DateTime timestamp) => new(DateTime.SpecifyKind(timestamp, DateTimeKind.Utc));

    /// <summary>Whether <paramref name="c"/> may appear in a device id.</summary>
    public static bool IsIdCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '@' or '-';
}
