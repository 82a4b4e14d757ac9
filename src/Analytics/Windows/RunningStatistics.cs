namespace DeviceTwins.Analytics.Windows;

/// <summary>Count, min, max, sum, mean, population standard deviation (Welford), first and last by event time of a stream of values.</summary>
public sealed class RunningStatistics
{
    /// <summary>Values added.</summary>
    public long Count { get; set; }

    /// <summary>Smallest value.</summary>
    public double Min { get; set; }

    /// <summary>Largest value.</summary>
    public double Max { get; set; }

    /// <summary>Sum of the values.</summary>
    public double Sum { get; set; }

    /// <summary>Running mean.</summary>
    public double Mean { get; set; }

    /// <summary>Sum of squared deviations from the mean (Welford's M2).</summary>
    public double M2 { get; set; }

    /// <summary>Value with the earliest event time (the first to arrive among equals).</summary>
    public double First { get; set; }

    /// <summary>Event time of <see cref="First"/>.</summary>
    public DateTimeOffset FirstAt { get; set; }

    /// <summary>Value with the latest event time (the last to arrive among equals).</summary>
    public double Last { get; set; }

    /// <summary>Event time of <see cref="Last"/>.</summary>
    public DateTimeOffset LastAt { get; set; }

    /// <summary>Population standard deviation; 0 below two values.</summary>
    public double StdDev => Count > 1 ? Math.Sqrt(Math.Max(0, M2 / Count)) : 0;

    /// <summary>Adds a value observed at <paramref name="timestamp"/>.</summary>
    public void Add(double value, DateTimeOffset timestamp)
    {
        if (Count == 0)
        {
            Min = Max = First = Last = value;
            FirstAt = LastAt = timestamp;
        }
        else
        {
            Min = Math.Min(Min, value);
            Max = Math.Max(Max, value);
            if (timestamp < FirstAt)
            {
                First = value;
                FirstAt = timestamp;
            }

            if (timestamp >= LastAt)
            {
                Last = value;
                LastAt = timestamp;
            }
        }

        Count++;
        Sum += value;
        var delta = value - Mean;
        Mean += delta / Count;
        M2 += delta * (value - Mean);
    }
}
