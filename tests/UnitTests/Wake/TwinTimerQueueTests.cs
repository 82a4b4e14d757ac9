using DeviceTwins.Grains;
using Microsoft.Extensions.Time.Testing;

namespace DeviceTwins.UnitTests.Wake;

public sealed class TwinTimerQueueTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public void ManyTimers_EachFiresOnceAtItsOwnInstant_InOrder()
    {
        using var queue = new TwinTimerQueue(_clock);
        var fired = new List<(int Timer, DateTimeOffset At)>();
        var start = _clock.GetUtcNow();
        // Armed out of order, some at the same instant.
        int[] seconds = [7, 3, 9, 3, 1, 12, 5, 8, 2, 11, 4, 6, 10, 7];
        var timers = seconds.Select((_, i) => new TwinTimer(queue, () => { fired.Add((i, _clock.GetUtcNow())); return Task.CompletedTask; })).ToList();
        for (var i = 0; i < timers.Count; i++)
        {
            timers[i].Arm(start.AddSeconds(seconds[i]));
        }

        Assert.Equal(seconds.Length, queue.Count);
        for (var s = 1; s <= 13; s++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(seconds.Length, fired.Count);
        Assert.All(fired, f => Assert.Equal(start.AddSeconds(seconds[f.Timer]), f.At));
        Assert.Equal(fired.OrderBy(f => f.At).Select(f => f.At), fired.Select(f => f.At));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void Rearm_EarlierLaterOrOff_TakesEffect_AndOnlyTheLastArmingFires()
    {
        using var queue = new TwinTimerQueue(_clock);
        var start = _clock.GetUtcNow();
        var fired = new List<string>();
        using var earlier = new TwinTimer(queue, () => { fired.Add($"earlier@{(_clock.GetUtcNow() - start).TotalSeconds}"); return Task.CompletedTask; });
        using var later = new TwinTimer(queue, () => { fired.Add($"later@{(_clock.GetUtcNow() - start).TotalSeconds}"); return Task.CompletedTask; });
        using var off = new TwinTimer(queue, () => { fired.Add("off"); return Task.CompletedTask; });
        earlier.Arm(start.AddSeconds(10));
        later.Arm(start.AddSeconds(2));
        off.Arm(start.AddSeconds(1));

        earlier.Arm(start.AddSeconds(3));
        later.Arm(start.AddSeconds(6));
        off.Arm(null);
        for (var s = 1; s <= 12; s++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(["earlier@3", "later@6"], fired);
    }

    [Fact]
    public void StaticTickWithState_FiresWithItsOwnState()
    {
        using var queue = new TwinTimerQueue(_clock);
        var fired = new List<string>();
        using var pump = new TwinTimer(queue, static state => { ((Owner)state).Fired.Add(((Owner)state).Name); return Task.CompletedTask; }, new Owner("pump", fired));
        using var fan = new TwinTimer(queue, static state => { ((Owner)state).Fired.Add(((Owner)state).Name); return Task.CompletedTask; }, new Owner("fan", fired));
        pump.Arm(_clock.GetUtcNow().AddSeconds(2));
        fan.Arm(_clock.GetUtcNow().AddSeconds(1));

        _clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(["fan", "pump"], fired);
    }

    [Fact]
    public void Dispose_TakesTheTimerOutOfTheQueue()
    {
        using var queue = new TwinTimerQueue(_clock);
        var ticks = 0;
        var timer = new TwinTimer(queue, () => { ticks++; return Task.CompletedTask; });
        timer.Arm(_clock.GetUtcNow().AddSeconds(1));

        timer.Dispose();
        _clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(0, ticks);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void QueueDisposed_TimersArmedOrDisposedAfterwards_NeitherThrowNorFire()
    {
        var queue = new TwinTimerQueue(_clock);
        var ticks = 0;
        var timer = new TwinTimer(queue, () => { ticks++; return Task.CompletedTask; });
        timer.Arm(_clock.GetUtcNow().AddSeconds(1));

        queue.Dispose();
        timer.Arm(_clock.GetUtcNow().AddSeconds(2));
        _clock.Advance(TimeSpan.FromSeconds(5));
        timer.Dispose();

        Assert.Equal(0, ticks);
    }

    [Fact]
    public void DueBeyondTheLongestWait_FiresAtItsInstant()
    {
        using var queue = new TwinTimerQueue(_clock);
        var fired = new List<DateTimeOffset>();
        using var timer = new TwinTimer(queue, () => { fired.Add(_clock.GetUtcNow()); return Task.CompletedTask; });
        var due = _clock.GetUtcNow() + TwinTimer.MaxDelay * 2.5;

        timer.Arm(due);
        // Half-day steps: the queue's timer waits at most a day at a time, and is set again each time it fires.
        for (var step = 0; step < 4; step++)
        {
            _clock.Advance(TwinTimer.MaxDelay / 2);
        }

        Assert.Empty(fired);
        _clock.Advance(TwinTimer.MaxDelay / 2);

        Assert.Equal([due], fired);
    }

    private sealed record Owner(string Name, List<string> Fired);
}
