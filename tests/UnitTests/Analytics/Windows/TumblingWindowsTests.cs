using System.Globalization;
using System.Text;
using DeviceTwins.Analytics.Windows;

namespace DeviceTwins.UnitTests.Analytics.Windows;

public sealed class TumblingWindowsTests
{
    private static readonly DateTimeOffset Base = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan FiveMinutes = TimeSpan.FromMinutes(5);

    private readonly TumblingWindows windows = new(new WindowOptions { Sizes = [Minute], Grace = TimeSpan.FromSeconds(10) });

    public static TheoryData<string, int, string> Starts => new()
    {
        { "1970-01-01T00:00:00Z", 60, "1970-01-01T00:00:00Z" },
        { "1970-01-01T00:00:59.9999999Z", 60, "1970-01-01T00:00:00Z" },
        { "1970-01-01T00:01:00Z", 60, "1970-01-01T00:01:00Z" },
        { "1969-12-31T23:59:59.9999999Z", 60, "1969-12-31T23:59:00Z" },
        { "1969-12-31T23:59:00Z", 60, "1969-12-31T23:59:00Z" },
        { "1969-12-31T23:58:59Z", 60, "1969-12-31T23:58:00Z" },
        { "1970-01-01T00:00:20Z", 7, "1970-01-01T00:00:14Z" },
        { "1969-12-31T23:59:40Z", 7, "1969-12-31T23:59:39Z" },
        { "2026-01-01T00:07:13.5Z", 300, "2026-01-01T00:05:00Z" },
        { "2026-01-01T02:07:13+02:00", 300, "2026-01-01T00:05:00Z" },
        { "2026-01-01T00:29:59-05:30", 3600, "2026-01-01T05:00:00Z" },
    };

    [Theory]
    [MemberData(nameof(Starts))]
    public void StartOf_Instant_IsEpochAlignedUtcStart(string instant, int sizeSeconds, string expected)
    {
        var start = TumblingWindows.StartOf(DateTimeOffset.Parse(instant, CultureInfo.InvariantCulture), TimeSpan.FromSeconds(sizeSeconds));

        Assert.Equal(DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture), start);
        Assert.Equal(TimeSpan.Zero, start.Offset);
    }

    [Fact]
    public void Sizes_GivenUnordered_AreShortestFirst()
    {
        var both = new TumblingWindows(new WindowOptions { Sizes = [FiveMinutes, Minute], Grace = TimeSpan.FromSeconds(3) });

        Assert.Equal([Minute, FiveMinutes], both.Sizes);
        Assert.Equal(TimeSpan.FromSeconds(3), both.Grace);
    }

    [Fact]
    public void Add_RecordAtExactlyEnd_GoesToTheNextWindow()
    {
        var open = new OpenWindowSet();

        Assert.Equal(0, windows.Add(open, "t", 1, At(30), At(30)));
        Assert.Equal(0, windows.Add(open, "t", 2, At(60), At(60)));

        Assert.Equal([(At(0), At(60), 1L, 1.0), (At(60), At(120), 1L, 2.0)], open.Select(w => (w.Start, w.End, w.Statistics.Count, w.Statistics.Sum)));
    }

    [Fact]
    public void Add_SeveralSizes_AddsTheValueToAWindowOfEachSize()
    {
        var both = new TumblingWindows(new WindowOptions { Sizes = [FiveMinutes, Minute], Grace = TimeSpan.FromSeconds(10) });
        var open = new OpenWindowSet();

        both.Add(open, "t", 1, At(10), At(10));
        both.Add(open, "t", 2, At(70), At(70));
        both.Add(open, "t", 3, At(290), At(290));

        Assert.Equal(
            [
                (Minute, At(0), 1L, 1.0),
                (FiveMinutes, At(0), 3L, 6.0),
                (Minute, At(60), 1L, 2.0),
                (Minute, At(240), 1L, 3.0),
            ],
            open.Select(w => (w.Size, w.Start, w.Statistics.Count, w.Statistics.Sum)));
        Assert.All(open, w => Assert.Equal(w.Start + w.Size, w.End));
    }

    [Fact]
    public void Add_OutOfOrderWithinGrace_JoinsItsWindowAsLate()
    {
        var open = new OpenWindowSet();
        windows.Add(open, "t", 10, At(50), At(50));
        windows.Add(open, "t", 20, At(65), At(65));

        Assert.Equal(0, windows.Add(open, "t", 30, At(55), At(65)));

        var first = Assert.Single(open, w => w.Start == At(0));
        Assert.Equal((2L, 1L, 40.0), (first.Statistics.Count, first.Late, first.Statistics.Sum));
        Assert.Equal((10.0, 30.0), (first.Statistics.First, first.Statistics.Last));
        Assert.Equal(0, Assert.Single(open, w => w.Start == At(60)).Late);
    }

    [Fact]
    public void Add_OneTickBeforeEndPlusGrace_IsAcceptedAsLate()
    {
        var open = new OpenWindowSet();

        Assert.Equal(0, windows.Add(open, "t", 1, At(59), At(70).AddTicks(-1)));

        Assert.Equal((1L, 1L), (open[0].Statistics.Count, open[0].Late));
    }

    [Fact]
    public void Add_AtExactlyEnd_CountsAsLate()
    {
        var open = new OpenWindowSet();

        windows.Add(open, "t", 1, At(59), At(60));

        Assert.Equal(1, open[0].Late);
    }

    [Fact]
    public void Add_LaterThanGrace_IsRefusedAndNotAdded()
    {
        var open = new OpenWindowSet();
        windows.Add(open, "t", 1, At(50), At(50));

        Assert.Equal(1, windows.Add(open, "t", 2, At(59), At(70)));

        Assert.Equal((1L, 0L, 1.0), (open[0].Statistics.Count, open[0].Late, open[0].Statistics.Sum));
        Assert.Single(open);
    }

    [Fact]
    public void Add_LateForOneSizeOnly_ReturnsTheRefusedSizes()
    {
        var both = new TumblingWindows(new WindowOptions { Sizes = [Minute, FiveMinutes], Grace = TimeSpan.FromSeconds(10) });
        var open = new OpenWindowSet();

        Assert.Equal(1, both.Add(open, "t", 7, At(30), At(75)));

        var only = Assert.Single(open);
        Assert.Equal((FiveMinutes, At(0), 1L, 0L), (only.Size, only.Start, only.Statistics.Count, only.Late));
    }

    [Fact]
    public void Add_NotFiniteValue_IsIgnored()
    {
        var open = new OpenWindowSet();
        windows.Add(open, "t", 1, At(10), At(10));

        Assert.Equal(0, windows.Add(open, "t", double.NaN, At(20), At(20)));
        Assert.Equal(0, windows.Add(open, "t", double.PositiveInfinity, At(30), At(30)));

        Assert.Equal((1L, 1.0, 1.0), (open[0].Statistics.Count, open[0].Statistics.Mean, open[0].Statistics.Max));
    }

    [Fact]
    public void Close_BeforeEndPlusGrace_KeepsTheWindowOpen()
    {
        var open = new OpenWindowSet();
        windows.Add(open, "t", 1, At(10), At(10));
        var closed = new List<WindowAggregate>();

        windows.Close(open, At(70).AddTicks(-1), "dev-1", closed);

        Assert.Empty(closed);
        Assert.Single(open);
    }

    [Fact]
    public void Close_AtEndPlusGrace_ClosesWithExactStatistics()
    {
        var open = new OpenWindowSet();
        double[] values = [2, 4, 4, 4, 5, 5, 7, 9];
        for (var i = 0; i < values.Length; i++)
        {
            windows.Add(open, "temperature", values[i], At(5 + (i * 5)), At(5 + (i * 5)));
        }

        var closed = new List<WindowAggregate>();
        windows.Close(open, At(70), "dev-1", closed);

        var expected = new WindowAggregate
        {
            DeviceId = "dev-1",
            Metric = "temperature",
            Size = Minute,
            Start = At(0),
            End = At(60),
            Count = 8,
            Min = 2,
            Max = 9,
            Sum = 40,
            Mean = 5,
            StdDev = 2,
            First = 2,
            Last = 9,
            Late = 0,
        };
        Assert.Equal([expected], closed);
        Assert.Equal("dev-1/temperature/60s/1767225600000", closed[0].Id);
        Assert.Empty(open);
    }

    [Fact]
    public void Close_SeveralDue_OrdersByEndThenSizeThenMetric()
    {
        var both = new TumblingWindows(new WindowOptions { Sizes = [FiveMinutes, Minute], Grace = TimeSpan.FromSeconds(10) });
        var open = new OpenWindowSet();
        both.Add(open, "b", 1, At(30), At(30));
        both.Add(open, "a", 2, At(40), At(40));
        both.Add(open, "b", 3, At(270), At(270));
        both.Add(open, "a", 4, At(280), At(280));
        var closed = new List<WindowAggregate>();

        both.Close(open, At(310), "dev-1", closed);

        Assert.Equal(
            [
                "dev-1/a/60s/1767225600000",
                "dev-1/b/60s/1767225600000",
                "dev-1/a/60s/1767225840000",
                "dev-1/b/60s/1767225840000",
                "dev-1/a/300s/1767225600000",
                "dev-1/b/300s/1767225600000",
            ],
            closed.Select(w => w.Id));
        Assert.Equal([2.0, 1.0, 4.0, 3.0, 6.0, 4.0], closed.Select(w => w.Sum));
        Assert.Empty(open);
    }

    [Fact]
    public void Close_OnlyDueWindows_LeavesTheOthersOpen()
    {
        var open = new OpenWindowSet();
        windows.Add(open, "t", 1, At(10), At(10));
        windows.Add(open, "t", 2, At(65), At(65));
        var closed = new List<WindowAggregate>();

        windows.Close(open, At(70), "dev-1", closed);

        Assert.Equal([At(0)], closed.Select(w => w.Start));
        Assert.Equal([At(60)], open.Select(w => w.Start));
    }

    [Fact]
    public void NextClose_OpenWindows_IsEarliestEndPlusGrace()
    {
        var open = new OpenWindowSet();
        Assert.Null(windows.NextClose(open));

        windows.Add(open, "a", 1, At(65), At(65));
        windows.Add(open, "b", 1, At(59), At(65));

        Assert.Equal(At(70), windows.NextClose(open));
    }

    [Fact]
    public void Current_SeveralSizes_IsTheShortestWindowHoldingTheInstant()
    {
        var both = new TumblingWindows(new WindowOptions { Sizes = [FiveMinutes, Minute] });
        var open = new OpenWindowSet();
        both.Add(open, "t", 1, At(70), At(70));

        var current = both.Current(open, "t", At(100));

        Assert.NotNull(current);
        Assert.Equal((Minute, At(60)), (current.Value.Size, current.Value.Start));
        Assert.Null(both.Current(open, "t", At(130)));
        Assert.Null(both.Current(open, "other", At(70)));
    }

    private static DateTimeOffset At(double seconds) => Base.AddSeconds(seconds);

    [Fact]
    public void QuietCloseDelayOf_SpreadsDevicesOverTheSpan_EachAtAFixedOffset()
    {
        var spread = TimeSpan.FromSeconds(10);
        var spreading = new TumblingWindows(new WindowOptions { QuietCloseSpread = spread });
        var delays = Enumerable.Range(0, 10_000).Select(i => spreading.QuietCloseDelayOf($"bench-{i:D7}")).ToList();

        Assert.All(delays, delay => Assert.InRange(delay, TimeSpan.Zero, spread - TimeSpan.FromTicks(1)));
        Assert.Equal(delays, Enumerable.Range(0, 10_000).Select(i => spreading.QuietCloseDelayOf($"bench-{i:D7}")));

        // Each second of the span takes about a tenth of the fleet: no instant closes them all.
        var perSecond = delays.GroupBy(delay => (int)delay.TotalSeconds).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(Enumerable.Range(0, 10), perSecond.Keys.Order());
        Assert.All(perSecond.Values, count => Assert.InRange(count, 800, 1_200));
    }

    [Theory]
    [InlineData("pump-1")]
    [InlineData("bench-0012345")]
    [InlineData("ünïcode-gerät")]
    [InlineData("")]
    public void QuietCloseDelayOf_TheIdsUtf8Bytes_GiveTheSameOffsetAsTheId(string deviceId)
    {
        Assert.Equal(windows.QuietCloseDelayOf(deviceId), windows.QuietCloseDelayOf(Encoding.UTF8.GetBytes(deviceId)));
    }

    [Fact]
    public void QuietCloseDelayOf_WithoutASpread_IsZero()
    {
        var together = new TumblingWindows(new WindowOptions { QuietCloseSpread = TimeSpan.Zero });

        Assert.Equal(TimeSpan.Zero, together.QuietCloseDelayOf("pump-1"));
    }
}
