using DeviceTwins.Analytics.Windows;

namespace DeviceTwins.UnitTests.Analytics.Windows;

public sealed class OpenWindowSetTests
{
    private static readonly DateTimeOffset Base = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly string[] Metrics = ["temperature", "humidity", "pressure"];

    private readonly TumblingWindows windows = new(new WindowOptions { Sizes = [Minute, TimeSpan.FromMinutes(5)], Grace = TimeSpan.FromSeconds(10) });

    [Fact]
    public void Indexer_ReturnsTheWindowByReference_AndRemoveAtKeepsTheOrder()
    {
        var set = new OpenWindowSet();
        set.Open("a", Minute, Base);
        set.Open("b", Minute, Base);
        set.Open("c", Minute, Base);

        set[1].Add(5, Base);
        set[1].Late++;
        set.RemoveAt(0);

        Assert.Equal(["b", "c"], set.Select(w => w.Metric));
        Assert.Equal((1L, 5.0, 1L), (set[0].Statistics.Count, set[0].Statistics.Sum, set[0].Late));
        Assert.Equal(0, set[1].Statistics.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => set[2].Late);
    }

    [Fact]
    public void AWindow_IsOneHundredAndFourBytes()
    {
        // What a twin pays per slot: twelve slots with three metrics and two sizes (README, "Memory of one twin's state").
        Assert.Equal(104, System.Runtime.CompilerServices.Unsafe.SizeOf<OpenWindow>());
    }

    [Fact]
    public void WindowsOfEveryBoundary_ReuseTheSlotsOfTheWindowsThatClosed()
    {
        // Three metrics and two sizes: six windows, twelve while the last ones wait out their grace.
        var set = new OpenWindowSet();
        var closed = new List<WindowAggregate>();
        Feed(set, closed, TimeSpan.Zero, TimeSpan.FromMinutes(12));
        var capacity = set.Capacity;

        Feed(set, closed, TimeSpan.FromMinutes(12), TimeSpan.FromMinutes(60));

        Assert.Equal(12, capacity);
        Assert.Equal(capacity, set.Capacity);
        Assert.Equal(6, set.Count);
        // Every 1-minute window up to minute 59 and every 5-minute one up to minute 55 closed once, with all its records.
        Assert.Equal((59 * 3) + (11 * 3), closed.Count);
        Assert.All(closed, w => Assert.Equal(w.Size == Minute ? 6 : 30, w.Count));
    }

    [Fact]
    public void AddingAcrossABoundary_AllocatesNothing_OnceTheSlotsExist()
    {
        var set = new OpenWindowSet();
        var closed = new List<WindowAggregate>(1000);
        var at = TimeSpan.Zero;

        // The fewest bytes of three boundaries: the runtime may allocate on this thread once (tiering a method up).
        var fewest = long.MaxValue;
        for (var boundary = 12; boundary <= 14; boundary++)
        {
            var before = TimeSpan.FromMinutes(boundary) - TimeSpan.FromSeconds(10);
            Feed(set, closed, at, before);
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            Add(set, before, before + TimeSpan.FromSeconds(20));
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - allocated);
            Assert.Equal(9, set.Count);
            at = before + TimeSpan.FromSeconds(20);
        }

        Assert.Equal(0, fewest);
    }

    // One record of each metric every 10 s of event time in [from, to), closing what the watermark passes.
    private void Feed(OpenWindowSet set, List<WindowAggregate> closed, TimeSpan from, TimeSpan to)
    {
        for (var at = from; at < to; at += TimeSpan.FromSeconds(10))
        {
            Add(set, at, at + TimeSpan.FromSeconds(10));
            windows.Close(set, Base + at, "d", closed);
        }
    }

    private void Add(OpenWindowSet set, TimeSpan from, TimeSpan to)
    {
        for (var at = from; at < to; at += TimeSpan.FromSeconds(10))
        {
            foreach (var metric in Metrics)
            {
                windows.Add(set, metric, 1, Base + at, Base + at);
            }
        }
    }
}
