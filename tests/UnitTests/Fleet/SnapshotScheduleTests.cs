using DeviceTwins.Grains.Alerts;

namespace DeviceTwins.UnitTests.Fleet;

public sealed class SnapshotScheduleTests
{
    [Fact]
    public void IsDue_NothingChanged_NeverDue()
    {
        var schedule = new SnapshotSchedule(maxIntervals: 3);

        Assert.All(Enumerable.Range(0, 5), _ => Assert.False(schedule.IsDue(alerts: 10)));
    }

    [Fact]
    public void IsDue_ChangesReachingHalfTheShard_DueAtTheNextInterval()
    {
        var schedule = new SnapshotSchedule(maxIntervals: 30);
        schedule.Changed(499);
        Assert.False(schedule.IsDue(alerts: 1000));

        schedule.Changed(1);
        Assert.True(schedule.IsDue(alerts: 1000));
    }

    [Fact]
    public void IsDue_FewChanges_DueAfterMaxIntervals_AndAgainOnlyAfterNewChanges()
    {
        var schedule = new SnapshotSchedule(maxIntervals: 3);
        schedule.Changed(1);

        Assert.Equal([false, false, true], Enumerable.Range(0, 3).Select(_ => schedule.IsDue(alerts: 6000)));
        schedule.Written();
        Assert.False(schedule.IsDue(alerts: 6000));
        schedule.Changed(1);
        Assert.Equal([false, false, true], Enumerable.Range(0, 3).Select(_ => schedule.IsDue(alerts: 6000)));
    }

    [Fact]
    public void IsDue_AfterAFailedWrite_StaysDue()
    {
        var schedule = new SnapshotSchedule(maxIntervals: 2);
        schedule.Changed(1);
        schedule.IsDue(alerts: 100);

        Assert.True(schedule.IsDue(alerts: 100));
        // No Written(): the write failed, so the next interval tries again.
        Assert.True(schedule.IsDue(alerts: 100));
    }
}
