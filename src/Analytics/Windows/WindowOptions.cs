namespace DeviceTwins.Analytics.Windows;

/// <summary>Tumbling event-time windows computed per device and metric.</summary>
public sealed class WindowOptions
{
    /// <summary>The window length used when <see cref="Sizes"/> is empty.</summary>
    public static readonly TimeSpan DefaultSize = TimeSpan.FromMinutes(1);

    /// <summary>Window lengths; several may run at once, each a whole number of seconds dividing a day evenly so windows align across devices (and window ids, which name the size in seconds, stay unique). Empty means one window of <see cref="DefaultSize"/>.</summary>
    public List<TimeSpan> Sizes { get; set; } = [];

    /// <summary>The lengths in force: <see cref="Sizes"/>, or <see cref="DefaultSize"/> alone.</summary>
    public IReadOnlyList<TimeSpan> EffectiveSizes => Sizes.Count == 0 ? [DefaultSize] : Sizes;

    /// <summary>How long after a window's end records may still join it, in event time.</summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How far past <c>end + Grace</c> a quiet device's windows may close, each device at its own fixed offset within
    /// this span, so that a fleet whose windows end together does not close them all in the same instant. A device that
    /// keeps sending closes them with its next record, as before. Zero closes every window at <c>end + Grace</c>.
    /// </summary>
    public TimeSpan QuietCloseSpread { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Closed windows each twin keeps for queries (all metrics and sizes together).</summary>
    public int Retained { get; set; } = 120;

    /// <summary>Messages naming each invalid setting, empty when the options are valid.</summary>
    public IEnumerable<string> Validate()
    {
        for (var i = 0; i < Sizes.Count; i++)
        {
            var size = Sizes[i];
            if (size < TimeSpan.FromSeconds(1) || size.Ticks % TimeSpan.TicksPerSecond != 0 || TimeSpan.FromDays(1).Ticks % size.Ticks != 0)
            {
                yield return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Windows:Sizes:{i} ({size:c}) must be a whole number of seconds, at least 1, dividing a day evenly.");
            }
        }

        if (Sizes.Distinct().Count() != Sizes.Count)
        {
            yield return "Windows:Sizes must not repeat a length.";
        }

        if (Grace < TimeSpan.Zero)
        {
            yield return "Windows:Grace must not be negative.";
        }

        if (QuietCloseSpread < TimeSpan.Zero || QuietCloseSpread > TimeSpan.FromHours(1))
        {
            yield return "Windows:QuietCloseSpread must be between 0 and 1 hour.";
        }

        if (Retained is < 0 or > 10_000)
        {
            yield return "Windows:Retained must be between 0 and 10000.";
        }
    }
}
