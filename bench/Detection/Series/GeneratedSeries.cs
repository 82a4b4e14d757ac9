namespace DeviceTwins.DetectionBench.Series;

/// <summary>One generated device metric: its values at a fixed interval from <see cref="Start"/>.</summary>
/// <param name="Name">Kind and seed, for the device id.</param>
/// <param name="Start">Event time of the first value.</param>
/// <param name="Interval">Time between values.</param>
/// <param name="Values">The readings.</param>
public sealed record GeneratedSeries(string Name, DateTimeOffset Start, TimeSpan Interval, double[] Values)
{
    /// <summary>The first event time of every series: a Monday at midnight, so days and weeks start on a value.</summary>
    public static readonly DateTimeOffset Epoch = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Event time of value <paramref name="index"/>.</summary>
    public DateTimeOffset At(int index) => Start + Interval * index;
}
