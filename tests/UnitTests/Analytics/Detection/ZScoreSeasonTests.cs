using DeviceTwins.Analytics.Detection;

namespace DeviceTwins.UnitTests.Analytics.Detection;

public sealed class ZScoreSeasonTests
{
    // A Monday at midnight: one record an hour, so each hour of the profile sees one value a day.
    private static readonly DateTimeOffset Monday = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    private static readonly ZScoreOptions Seasonal = new()
    {
        Method = ZScoreMethod.Ewma,
        Alpha = 0.1,
        WarmUp = 10,
        RaiseZ = 5,
        ClearZ = 1,
        Seasonal = true,
    };

    [Fact]
    public void Observe_DailyShape_IsLearnedAndRaisesNothing()
    {
        var detector = new ZScoreDetector(Seasonal);
        var state = (ZScoreState)detector.CreateState();

        var verdicts = Feed(detector, state, Days(6));

        // The first days raise on the shape, before two days of profile are in; from the third day on, nothing does.
        Assert.DoesNotContain(verdicts.Skip(3 * 24), v => v.Anomalous);
        Assert.True(state.Seasonal);
        Assert.Equal(5, state.SeasonDays);
        // Hour 3 read 18.5 on the first day and 18.9 on the five after: 18.5, then five folds of 0.2 toward 18.9.
        Assert.Equal(18.9 - (0.4 * Math.Pow(0.8, 5)), state.Profile[3], 5);
    }

    [Fact]
    public void Observe_DayWithoutItsShape_RaisesAgainstTheProfile()
    {
        var detector = new ZScoreDetector(Seasonal);
        var state = (ZScoreState)detector.CreateState();
        Feed(detector, state, Days(6));

        // Day 7 stays at 16, near the daily mean, while its night hours are usually 19 to 22.
        var flat = Enumerable.Range(0, 6).Select(h => detector.Observe(state, "t", 16, Monday.AddDays(6).AddHours(h))).ToList();

        var raise = flat.Find(v => v.Anomalous);
        Assert.True(raise.Anomalous);
        Assert.StartsWith("t 16 (", raise.Reason);
        Assert.Contains(" against its daily profile) ", raise.Reason);
    }

    [Fact]
    public void Observe_SeasonOff_TheDayWithoutItsShapeRaisesNothing()
    {
        var detector = new ZScoreDetector(new ZScoreOptions { Method = ZScoreMethod.Ewma, Alpha = 0.1, WarmUp = 10, RaiseZ = 5, ClearZ = 1 });
        var state = (ZScoreState)detector.CreateState();
        Feed(detector, state, Days(6));

        Assert.DoesNotContain(Enumerable.Range(0, 6).Select(h => detector.Observe(state, "t", 16, Monday.AddDays(6).AddHours(h))).ToList(), v => v.Anomalous);
        Assert.Empty(state.Profile);
    }

    [Fact]
    public void Expected_InterpolatesBetweenHourCenters_AndWrapsAtMidnight()
    {
        var profile = Enumerable.Range(0, 24).Select(h => (float)h).ToArray();

        Assert.Equal(3.0, ZScoreSeason.Expected(profile, 3.5)!.Value, 9);
        Assert.Equal(3.25, ZScoreSeason.Expected(profile, 3.75)!.Value, 9);
        // 00:15 lies between 23:30 (23) and 00:30 (0).
        Assert.Equal(23 - (23 * 0.75), ZScoreSeason.Expected(profile, 0.25)!.Value, 5);
        profile[4] = float.NaN;
        Assert.Null(ZScoreSeason.Expected(profile, 4.0));
    }

    // A daily triangle, 22 at midnight down to 10 at noon, with a wobble of 0.1; hour 3 of the first day reads 18.5.
    private static List<(DateTimeOffset At, double Value)> Days(int days) =>
        [.. Enumerable.Range(0, days * 24).Select(i => (Monday.AddHours(i), i == 3 ? 18.5 : 10 + Math.Abs(12 - (i % 24)) + (i % 2 == 0 ? 0.1 : -0.1)))];

    private static List<DetectorVerdict> Feed(ZScoreDetector detector, ZScoreState state, List<(DateTimeOffset At, double Value)> records) =>
        [.. records.Select(r => detector.Observe(state, "t", r.Value, r.At))];
}
