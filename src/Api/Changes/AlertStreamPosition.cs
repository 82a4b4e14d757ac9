using System.Globalization;
using System.Text;

namespace DeviceTwins.Api.Changes;

/// <summary>
/// Event ids of the alert stream: for every partition of the alerts topic, the offset of the next record to read, as
/// "partition:offset" pairs in partition order, comma-separated ("0:13,1:7,2:0"). Each event's id is the position just
/// after it, so resuming from it reads exactly the records after it on every partition.
/// </summary>
internal static class AlertStreamPosition
{
    /// <summary>Most partitions an id may name.</summary>
    public const int MaxPartitions = 1024;

    /// <summary>The id of <paramref name="next"/> (partition to next offset).</summary>
    public static string Format(IReadOnlyDictionary<int, long> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        var text = new StringBuilder(next.Count * 8);
        foreach (var (partition, offset) in next.OrderBy(p => p.Key))
        {
            if (text.Length > 0)
            {
                text.Append(',');
            }

            text.Append(partition.ToString(CultureInfo.InvariantCulture)).Append(':').Append(offset.ToString(CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    /// <summary>Reads an id; false when malformed (not pairs of non-negative integers, a partition twice, too many partitions).</summary>
    public static bool TryParse(string text, out IReadOnlyDictionary<int, long> next)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new Dictionary<int, long>();
        next = result;
        var pairs = text.Split(',');
        if (text.Length == 0 || pairs.Length > MaxPartitions)
        {
            return false;
        }

        foreach (var pair in pairs)
        {
            var colon = pair.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0
                || !int.TryParse(pair.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var partition)
                || !long.TryParse(pair.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
                || !result.TryAdd(partition, offset))
            {
                return false;
            }
        }

        return true;
    }
}
