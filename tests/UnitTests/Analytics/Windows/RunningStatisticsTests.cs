using DeviceTwins.Analytics.Windows;

namespace DeviceTwins.UnitTests.Analytics.Windows;

public sealed class RunningStatisticsTests
{
    private static readonly DateTimeOffset Base = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Add_KnownValues_ComputesEveryStatistic()
    {
        var statistics = new RunningStatistics();
        double[] values = [2, 4, 4, 4, 5, 5, 7, 9];
        for (var i = 0; i < values.Length; i++)
        {
            statistics.Add(values[i], At(i));
        }

        Assert.Equal(8, statistics.Count);
        Assert.Equal(2, statistics.Min);
        Assert.Equal(9, statistics.Max);
        Assert.Equal(40, statistics.Sum);
        Assert.Equal(5, statistics.Mean);
        Assert.Equal(32, statistics.M2);
        Assert.Equal(2, statistics.StdDev);
        Assert.Equal((2.0, At(0)), (statistics.First, statistics.FirstAt));
        Assert.Equal((9.0, At(7)), (statistics.Last, statistics.LastAt));
    }

    [Fact]
    public void StdDev_BelowTwoValues_IsZero()
    {
        var statistics = new RunningStatistics();
        Assert.Equal(0, statistics.StdDev);

        statistics.Add(42, At(0));

        Assert.Equal((1L, 42.0, 42.0, 42.0, 42.0, 0.0), (statistics.Count, statistics.Min, statistics.Max, statistics.Sum, statistics.Mean, statistics.StdDev));
        Assert.Equal((42.0, 42.0), (statistics.First, statistics.Last));
    }

    [Fact]
    public void Add_OutOfOrderTimestamps_FirstAndLastFollowEventTime()
    {
        var statistics = new RunningStatistics();

        statistics.Add(5, At(10));
        statistics.Add(3, At(5));
        statistics.Add(8, At(20));
        statistics.Add(1, At(15));

        Assert.Equal((3.0, At(5)), (statistics.First, statistics.FirstAt));
        Assert.Equal((8.0, At(20)), (statistics.Last, statistics.LastAt));
        Assert.Equal((1.0, 8.0, 17.0, 4.25), (statistics.Min, statistics.Max, statistics.Sum, statistics.Mean));
    }

    [Fact]
    public void Add_EqualTimestamps_FirstKeepsEarliestArrivalAndLastTakesLatest()
    {
        var statistics = new RunningStatistics();

        statistics.Add(1, At(0));
        statistics.Add(2, At(0));
        statistics.Add(3, At(0));

        Assert.Equal((1.0, 3.0), (statistics.First, statistics.Last));
    }

    private static DateTimeOffset At(double seconds) => Base.AddSeconds(seconds);
}
