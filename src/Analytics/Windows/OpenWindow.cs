namespace DeviceTwins.Analytics.Windows;

/// <summary>A tumbling window of one metric still accepting records: <c>[Start, End)</c> in event time.</summary>
public sealed class OpenWindow
{
    /// <summary>The metric aggregated.</summary>
    public string Metric { get; set; } = string.Empty;

    /// <summary>Window length.</summary>
    public TimeSpan Size { get; set; }

    /// <summary>Inclusive start.</summary>
    public DateTimeOffset Start { get; set; }

    /// <summary>Exclusive end.</summary>
    public DateTimeOffset End { get; set; }

    /// <summary>Statistics of the records in the window.</summary>
    public RunningStatistics Statistics { get; set; } = new();

    /// <summary>Records accepted after event time had passed <see cref="End"/>, within the grace period.</summary>
    public long Late { get; set; }
}
