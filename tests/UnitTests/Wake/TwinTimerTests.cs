using DeviceTwins.Grains;
using Microsoft.Extensions.Time.Testing;

namespace DeviceTwins.UnitTests.Wake;

public sealed class TwinTimerTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Arm_FiresOnceAtTheInstant()
    {
        var ticks = 0;
        using var timer = new TwinTimer(_clock, () => { ticks++; return Task.CompletedTask; });

        timer.Arm(_clock.GetUtcNow().AddSeconds(10));
        _clock.Advance(TimeSpan.FromSeconds(9.999));
        Assert.Equal(0, ticks);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, ticks);
        _clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(1, ticks);
    }

    [Fact]
    public void TickLost_FiredAgainAfterOneSecond_ThenDoublingWhileItKeepsFailing()
    {
        // The first two ticks are lost (the grain call fails without running its turn), the third runs.
        var attempts = new List<DateTimeOffset>();
        using var timer = new TwinTimer(_clock, () =>
        {
            attempts.Add(_clock.GetUtcNow());
            return attempts.Count <= 2 ? Task.FromException(new TimeoutException("tick lost")) : Task.CompletedTask;
        });
        var due = _clock.GetUtcNow().AddSeconds(10);

        timer.Arm(due);
        _clock.Advance(TimeSpan.FromSeconds(10));
        _clock.Advance(TimeSpan.FromSeconds(1));
        _clock.Advance(TimeSpan.FromSeconds(2));
        _clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal([due, due.AddSeconds(1), due.AddSeconds(3)], attempts);
        Assert.Equal(2, timer.Retries);
    }

    [Fact]
    public void TickSucceeds_NotFiredAgainUntilArmed()
    {
        var ticks = 0;
        using var timer = new TwinTimer(_clock, () => { ticks++; return Task.CompletedTask; });

        timer.Arm(_clock.GetUtcNow());
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, ticks);
        Assert.Equal(0, timer.Retries);

        // Same instant again without Fired(): already armed for it, nothing new; after Fired(), it takes effect.
        var at = _clock.GetUtcNow().AddSeconds(5);
        timer.Arm(at);
        timer.Arm(at);
        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(2, ticks);
    }
}
