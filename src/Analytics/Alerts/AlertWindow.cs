namespace DeviceTwins.Analytics.Alerts;

/// <summary>The statistics of the metric's current window when an alert changed: what justified it.</summary>
public sealed record AlertWindow
{
    /// <summary>Inclusive start.</summary>
    public required DateTimeOffset Start { get; init; }

    /// <summary>Exclusive end.</summary>
    public required DateTimeOffset End { get; init; }

    /// <summary>Records so far.</summary>
    public required long Count { get; init; }

    /// <summary>Smallest value.</summary>
    public required double Min { get; init; }

    /// <summary>Largest value.</summary>
    public required double Max { get; init; }

    /// <summary>Mean value.</summary>
    public required double Mean { get; init; }

    /// <summary>Population standard deviation.</summary>
    public required double StdDev { get; init; }
}
