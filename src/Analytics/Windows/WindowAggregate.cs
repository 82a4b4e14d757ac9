namespace DeviceTwins.Analytics.Windows;

/// <summary>A closed tumbling window of one metric of one device: the record published on the aggregates topic.</summary>
public sealed record WindowAggregate
{
    /// <summary>The device.</summary>
    public required string DeviceId { get; init; }

    /// <summary>The metric.</summary>
    public required string Metric { get; init; }

    /// <summary>Window length.</summary>
    public required TimeSpan Size { get; init; }

    /// <summary>Inclusive start.</summary>
    public required DateTimeOffset Start { get; init; }

    /// <summary>Exclusive end.</summary>
    public required DateTimeOffset End { get; init; }

    /// <summary>Records in the window.</summary>
    public required long Count { get; init; }

    /// <summary>Smallest value.</summary>
    public required double Min { get; init; }

    /// <summary>Largest value.</summary>
    public required double Max { get; init; }

    /// <summary>Sum of the values.</summary>
    public required double Sum { get; init; }

    /// <summary>Mean value.</summary>
    public required double Mean { get; init; }

    /// <summary>Population standard deviation.</summary>
    public required double StdDev { get; init; }

    /// <summary>Value with the earliest event time.</summary>
    public required double First { get; init; }

    /// <summary>Value with the latest event time.</summary>
    public required double Last { get; init; }

    /// <summary>Records accepted after event time had passed the window's end, within the grace period.</summary>
    public required long Late { get; init; }

    /// <summary>The deterministic id of this window: device, metric, size and start.</summary>
    public string Id => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{DeviceId}/{Metric}/{(long)Size.TotalSeconds}s/{Start.ToUnixTimeMilliseconds()}");

    /// <summary>Builds the aggregate of a window that closes.</summary>
    public static WindowAggregate Of(string deviceId, in OpenWindow window)
    {
        var s = window.Statistics;
        return new WindowAggregate
        {
            DeviceId = deviceId,
            Metric = window.Metric,
            Size = window.Size,
            Start = window.Start,
            End = window.End,
            Count = s.Count,
            Min = s.Min,
            Max = s.Max,
            Sum = s.Sum,
            Mean = s.Mean,
            StdDev = s.StdDev,
            First = s.First,
            Last = s.Last,
            Late = window.Late,
        };
    }
}
