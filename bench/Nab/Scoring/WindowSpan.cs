namespace DeviceTwins.Nab.Scoring;

/// <summary>An anomaly window mapped onto a series: the inclusive row indices of its first and last records.</summary>
public readonly record struct WindowSpan(int First, int Last)
{
    /// <summary>Rows in the window, both edges included (NAB's window width).</summary>
    public int Width => Last - First + 1;

    /// <summary>Maps windows onto row indices the way NAB does: each edge is the first row whose timestamp equals it exactly.</summary>
    public static IReadOnlyList<WindowSpan> Locate(IReadOnlyList<DateTime> timestamps, IReadOnlyList<AnomalyWindow> windows)
    {
        ArgumentNullException.ThrowIfNull(timestamps);
        ArgumentNullException.ThrowIfNull(windows);

        var firstRow = new Dictionary<DateTime, int>(timestamps.Count);
        for (var i = 0; i < timestamps.Count; i++)
        {
            firstRow.TryAdd(timestamps[i], i);
        }

        var spans = new WindowSpan[windows.Count];
        for (var w = 0; w < windows.Count; w++)
        {
            spans[w] = new WindowSpan(Row(firstRow, windows[w].Start), Row(firstRow, windows[w].End));
        }

        Validate(spans, timestamps.Count);
        return spans;
    }

    /// <summary>Checks spans lie in a series of <paramref name="length"/> rows, each non-empty, in order and not touching.</summary>
    public static void Validate(IReadOnlyList<WindowSpan> spans, int length)
    {
        ArgumentNullException.ThrowIfNull(spans);
        for (var w = 0; w < spans.Count; w++)
        {
            var span = spans[w];
            if (span.First < 0 || span.Last >= length || span.First > span.Last)
            {
                throw new ArgumentException($"Window {w} spans rows {span.First}..{span.Last}, outside a series of {length} rows or reversed.", nameof(spans));
            }

            // NAB walks the windows in order and would silently merge or skip windows that overlap or touch.
            if (w > 0 && span.First <= spans[w - 1].Last)
            {
                throw new ArgumentException($"Window {w} (rows {span.First}..{span.Last}) overlaps or touches window {w - 1} (rows {spans[w - 1].First}..{spans[w - 1].Last}).", nameof(spans));
            }
        }
    }

    private static int Row(Dictionary<DateTime, int> firstRow, DateTime timestamp) =>
        firstRow.TryGetValue(timestamp, out var row)
            ? row
            : throw new ArgumentException($"Window edge {timestamp:yyyy-MM-dd HH:mm:ss.ffffff} is not a timestamp of the series; NAB requires exact matches.");
}
