namespace DeviceTwins.Analytics.Windows;

/// <summary>
/// Tumbling event-time windows <c>[start, end)</c>, aligned to the Unix epoch, with a grace period. A window closes
/// once the watermark (the device's event-time clock) passes its end plus the grace; a record for a window that has
/// closed is late and counted by the caller, never added.
/// </summary>
public sealed class TumblingWindows
{
    private readonly TimeSpan[] _sizes;

    /// <summary>Creates the windows of <paramref name="options"/>.</summary>
    public TumblingWindows(WindowOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _sizes = [.. options.EffectiveSizes.Order()];
        Grace = options.Grace;
        QuietCloseSpread = options.QuietCloseSpread;
    }

    /// <summary>The grace period.</summary>
    public TimeSpan Grace { get; }

    /// <summary>The span over which quiet devices' closes are spread (<see cref="WindowOptions.QuietCloseSpread"/>).</summary>
    public TimeSpan QuietCloseSpread { get; }

    /// <summary>
    /// The fixed offset past <c>end + Grace</c> at which the quiet device <paramref name="deviceId"/> closes its windows:
    /// a hash of the id's UTF-8 bytes (FNV-1a with MurmurHash3's finalizer, stable across processes) scaled into
    /// <see cref="QuietCloseSpread"/>.
    /// </summary>
    public TimeSpan QuietCloseDelayOf(string deviceId)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        var length = System.Text.Encoding.UTF8.GetMaxByteCount(deviceId.Length);
        Span<byte> utf8 = length <= 512 ? stackalloc byte[length] : new byte[length];
        return QuietCloseDelayOf(utf8[..System.Text.Encoding.UTF8.GetBytes(deviceId, utf8)]);
    }

    /// <summary>
    /// The offset of <see cref="QuietCloseDelayOf(string)"/> from the id's UTF-8 bytes, as a grain id holds them: a twin
    /// computes it on every turn without making a string of its id.
    /// </summary>
    public TimeSpan QuietCloseDelayOf(ReadOnlySpan<byte> utf8DeviceId)
    {
        if (QuietCloseSpread <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        var hash = 2166136261u;
        foreach (var b in utf8DeviceId)
        {
            hash = (hash ^ b) * 16777619u;
        }

        // MurmurHash3's finalizer: ids that differ in their last digit land far apart, not in neighbouring offsets.
        hash = (hash ^ (hash >> 16)) * 0x85ebca6bu;
        hash = (hash ^ (hash >> 13)) * 0xc2b2ae35u;
        hash ^= hash >> 16;

        return TimeSpan.FromTicks((long)(QuietCloseSpread.Ticks * (hash / 4294967296.0)));
    }

    /// <summary>The window lengths, shortest first.</summary>
    public IReadOnlyList<TimeSpan> Sizes => _sizes;

    /// <summary>The start of the window of <paramref name="size"/> holding <paramref name="timestamp"/>.</summary>
    public static DateTimeOffset StartOf(DateTimeOffset timestamp, TimeSpan size)
    {
        var ticks = timestamp.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var start = ticks - (((ticks % size.Ticks) + size.Ticks) % size.Ticks);
        return new DateTimeOffset(DateTimeOffset.UnixEpoch.UtcTicks + start, TimeSpan.Zero);
    }

    /// <summary>
    /// Adds a value to its window of every size unless that window has closed under <paramref name="watermark"/>;
    /// returns how many sizes refused it as late. A value that is not a finite number is ignored, as the detectors ignore
    /// it, so it cannot poison a window's statistics.
    /// </summary>
    public int Add(OpenWindowSet open, string metric, double value, DateTimeOffset timestamp, DateTimeOffset watermark)
    {
        ArgumentNullException.ThrowIfNull(open);
        var refused = 0;
        if (!double.IsFinite(value))
        {
            return refused;
        }

        foreach (var size in _sizes)
        {
            var start = StartOf(timestamp, size);
            var end = start + size;
            if (end + Grace <= watermark)
            {
                refused++;
                continue;
            }

            var index = IndexOf(open, metric, size, start);
            ref var window = ref index >= 0 ? ref open[index] : ref open.Open(metric, size, start);
            window.Add(value, timestamp);
            if (end <= watermark)
            {
                window.Late++;
            }
        }

        return refused;
    }

    /// <summary>Closes, in order of end then size then metric, every window whose end plus grace the watermark has reached.</summary>
    public void Close(OpenWindowSet open, DateTimeOffset watermark, string deviceId, ICollection<WindowAggregate> closed)
    {
        ArgumentNullException.ThrowIfNull(open);
        ArgumentNullException.ThrowIfNull(closed);
        List<WindowAggregate>? due = null;
        for (var i = open.Count - 1; i >= 0; i--)
        {
            if (open[i].End + Grace <= watermark)
            {
                (due ??= []).Add(WindowAggregate.Of(deviceId, open[i]));
                open.RemoveAt(i);
            }
        }

        if (due is null)
        {
            return;
        }

        due.Sort(static (a, b) => a.End != b.End ? a.End.CompareTo(b.End) : a.Size != b.Size ? a.Size.CompareTo(b.Size) : string.CompareOrdinal(a.Metric, b.Metric));
        foreach (var window in due)
        {
            closed.Add(window);
        }
    }

    /// <summary>The earliest watermark at which some open window closes, or null when none is open.</summary>
    public DateTimeOffset? NextClose(OpenWindowSet open)
    {
        ArgumentNullException.ThrowIfNull(open);
        DateTimeOffset? next = null;
        for (var i = 0; i < open.Count; i++)
        {
            var at = open[i].End + Grace;
            if (next is null || at < next)
            {
                next = at;
            }
        }

        return next;
    }

    /// <summary>The open window of the shortest size holding <paramref name="timestamp"/> for <paramref name="metric"/>, if any.</summary>
    public OpenWindow? Current(OpenWindowSet open, string metric, DateTimeOffset timestamp)
    {
        ArgumentNullException.ThrowIfNull(open);
        var index = IndexOf(open, metric, _sizes[0], StartOf(timestamp, _sizes[0]));
        return index >= 0 ? open[index] : null;
    }

    private static int IndexOf(OpenWindowSet open, string metric, TimeSpan size, DateTimeOffset start)
    {
        for (var i = 0; i < open.Count; i++)
        {
            ref var window = ref open[i];
            if (window.Start == start && window.Size == size && string.Equals(window.Metric, metric, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
