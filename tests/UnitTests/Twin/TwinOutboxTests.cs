using DeviceTwins.Grains.Twin;
using Microsoft.Extensions.Time.Testing;

namespace DeviceTwins.UnitTests.Twin;

public sealed class TwinOutboxTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));
    private readonly Queue<string> _pending = new();
    private readonly List<string> _published = [];
    private readonly List<(string Batch, TimeSpan Delay)> _failures = [];
    private readonly Queue<TaskCompletionSource> _sends = new();
    private readonly TwinOutbox<string> _outbox;

    public TwinOutboxTests()
    {
        _outbox = new TwinOutbox<string>(_time, new Owner(
            () => _pending.Count > 0 ? _pending.Peek() : null,
            _ =>
            {
                var send = new TaskCompletionSource();
                _sends.Enqueue(send);
                return send.Task;
            },
            batch =>
            {
                Assert.Equal(batch, _pending.Dequeue());
                _published.Add(batch);
            },
            (batch, _, delay) => _failures.Add((batch, delay))));
    }

    [Fact]
    public void Kick_WhilePublishing_OneBatchInFlightTheNextTakenOnAcknowledgement()
    {
        _pending.Enqueue("a");
        _outbox.Kick();
        _pending.Enqueue("b");
        _outbox.Kick();

        Assert.True(_outbox.IsPublishing);
        Assert.Single(_sends);
        Assert.False(_outbox.Idle.IsCompleted);

        _sends.Dequeue().SetResult();

        Assert.Equal(["a"], _published);
        Assert.Single(_sends);
        _sends.Dequeue().SetResult();
        Assert.Equal(["a", "b"], _published);
        Assert.False(_outbox.IsPublishing);
        Assert.True(_outbox.Idle.IsCompleted);
    }

    [Fact]
    public void Failure_BacksOffDoublingTo30Seconds_RetriesOnlyWhenDue_ThenResets()
    {
        _pending.Enqueue("a");
        var delays = new List<TimeSpan>();
        for (var attempt = 0; attempt < 7; attempt++)
        {
            _outbox.Kick();
            _sends.Dequeue().SetException(new InvalidOperationException("broker down"));
            delays.Add(_failures[^1].Delay);
            Assert.Equal(_time.GetUtcNow() + delays[^1], _outbox.RetryAt);

            _outbox.Kick();
            Assert.Empty(_sends);
            _time.Advance(delays[^1]);
        }

        Assert.Equal([1, 2, 4, 8, 16, 30, 30], delays.Select(d => d.TotalSeconds));
        _outbox.Kick();
        _sends.Dequeue().SetResult();
        Assert.Equal(["a"], _published);
        Assert.Null(_outbox.RetryAt);

        _pending.Enqueue("b");
        _outbox.Kick();
        _sends.Dequeue().SetException(new InvalidOperationException("broker down"));
        Assert.Equal(TimeSpan.FromSeconds(1), _failures[^1].Delay);
    }

    [Fact]
    public void Kick_NothingToTake_PublishesNothing()
    {
        _outbox.Kick();

        Assert.False(_outbox.IsPublishing);
        Assert.Empty(_sends);
        Assert.True(_outbox.Idle.IsCompleted);
    }

    [Fact]
    public void Publish_CompletingSynchronously_TakesEveryBatchInOrder()
    {
        var published = new List<string>();
        var pending = new Queue<string>(["a", "b", "c"]);
        var outbox = new TwinOutbox<string>(_time, new Owner(
            () => pending.Count > 0 ? pending.Peek() : null,
            _ => Task.CompletedTask,
            batch => published.Add(pending.Dequeue()),
            (_, _, _) => Assert.Fail("no failure")));

        outbox.Kick();

        Assert.Equal(["a", "b", "c"], published);
        Assert.False(outbox.IsPublishing);
        Assert.True(outbox.Idle.IsCompleted);
    }

    private sealed class Owner(Func<string?> take, Func<string, Task> publish, Action<string> published, Action<string, Exception, TimeSpan> failed) : IOutboxOwner<string>
    {
        public string? Take() => take();

        public Task PublishAsync(string batch) => publish(batch);

        public void Published(string batch) => published(batch);

        public void Failed(string batch, Exception exception, TimeSpan delay) => failed(batch, exception, delay);
    }
}
