namespace DeviceTwins.Analytics.Windows;

/// <summary>
/// A tumbling window of one metric still accepting records: <c>[Start, End)</c> in event time. A struct kept in its
/// twin's <see cref="OpenWindowSet"/>: windows aligned to the epoch start at UTC instants, so the start is kept as one.
/// </summary>
public struct OpenWindow
{
    private long _startTicks;
    private long _sizeTicks;
    private RunningStatistics _statistics;
    private int _late;

    /// <summary>The metric aggregated.</summary>
    public string Metric { get; set; }

    /// <summary>Window length.</summary>
    public TimeSpan Size
    {
        readonly get => new(_sizeTicks);
        set => _sizeTicks = value.Ticks;
    }

    /// <summary>Inclusive start, in UTC.</summary>
    public DateTimeOffset Start
    {
        readonly get => new(_startTicks, TimeSpan.Zero);
        set => _startTicks = value.UtcTicks;
    }

    /// <summary>Exclusive end.</summary>
    public readonly DateTimeOffset End => new(_startTicks + _sizeTicks, TimeSpan.Zero);

    /// <summary>Statistics of the records in the window.</summary>
    public RunningStatistics Statistics
    {
        readonly get => _statistics;
        set => _statistics = value;
    }

    /// <summary>Records accepted after event time had passed <see cref="End"/>, within the grace period.</summary>
    public long Late
    {
        readonly get => _late;
        set => _late = checked((int)value);
    }

    /// <summary>Adds a value observed at <paramref name="timestamp"/> to the window's statistics.</summary>
    public void Add(double value, DateTimeOffset timestamp) => _statistics.Add(value, timestamp);
}
