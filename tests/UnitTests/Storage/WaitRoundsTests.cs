using System.Threading.Channels;
using DeviceTwins.Silo.Storage;

namespace DeviceTwins.UnitTests.Storage;

public sealed class WaitRoundsTests
{
    [Fact]
    public async Task Joins_DuringARound_ShareTheNextOne_StartedOnlyWhenTheFirstEnds()
    {
        var rounds = new WaitRounds();
        var waits = new ScriptedWaits();
        var first = rounds.JoinAsync(waits.Wait);
        var second = rounds.JoinAsync(waits.Wait);
        var third = rounds.JoinAsync(waits.Wait);
        var round1 = await waits.NextStartedAsync();
        Assert.Equal(1, waits.Count);
        Assert.Same(second, third);

        round1.SetResult(1);
        Assert.Equal(1, await first);
        var round2 = await waits.NextStartedAsync();
        Assert.False(second.IsCompleted);

        // A join while the second round is in flight waits for a third.
        var fourth = rounds.JoinAsync(waits.Wait);
        round2.SetResult(2);
        Assert.Equal((2L, 2L), (await second, await third));
        (await waits.NextStartedAsync()).SetResult(3);
        Assert.Equal(3, await fourth);
        Assert.Equal(3, waits.Count);

        // Idle again: the next join starts a round at once.
        var fifth = rounds.JoinAsync(waits.Wait);
        (await waits.NextStartedAsync()).SetResult(4);
        Assert.Equal((4L, 4), (await fifth, waits.Count));
    }

    [Fact]
    public async Task AFailedRound_FailsItsJoiners_TheNextRoundStillRuns()
    {
        var rounds = new WaitRounds();
        var waits = new ScriptedWaits();
        var first = rounds.JoinAsync(waits.Wait);
        var second = rounds.JoinAsync(waits.Wait);
        (await waits.NextStartedAsync()).SetException(new TimeoutException("node gone"));
        Assert.Equal("node gone", (await Assert.ThrowsAsync<TimeoutException>(() => first)).Message);
        (await waits.NextStartedAsync()).SetResult(1);
        Assert.Equal(1, await second);
    }

    // Waits the test completes by hand; each one started is announced, so the test awaits it instead of polling.
    private sealed class ScriptedWaits
    {
        private readonly Channel<TaskCompletionSource<long>> _started = Channel.CreateUnbounded<TaskCompletionSource<long>>();

        public int Count { get; private set; }

        public Task<long> Wait()
        {
            var wait = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            Count++;
            _started.Writer.TryWrite(wait);
            return wait.Task;
        }

        public async Task<TaskCompletionSource<long>> NextStartedAsync() =>
            await _started.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
    }
}
