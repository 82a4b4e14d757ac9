using DeviceTwins.Grains.Interfaces.Models;
using DeviceTwins.Grains.Publishing;

namespace DeviceTwins.ClusterTests;

/// <summary>A desired-state publisher that holds each publication while closed, and says when one arrived.</summary>
internal sealed class GatedDesiredPublisher : IDesiredStatePublisher
{
    private readonly object _lock = new();
    private TaskCompletionSource _gate = NewSource(open: true);
    private TaskCompletionSource _entered = NewSource(open: false);
    private readonly List<long> _published = [];
    private int _held;

    /// <summary>Publications waiting at the gate.</summary>
    public int Held => Volatile.Read(ref _held);

    /// <summary>Versions of the changes whose publication passed the gate, in order.</summary>
    public IReadOnlyList<long> Published
    {
        get
        {
            lock (_lock)
            {
                return [.. _published];
            }
        }
    }

    public Task Entered
    {
        get
        {
            lock (_lock)
            {
                return _entered.Task;
            }
        }
    }

    public void Close()
    {
        lock (_lock)
        {
            _gate = NewSource(open: false);
            _entered = NewSource(open: false);
        }
    }

    public void Open()
    {
        lock (_lock)
        {
            _gate.TrySetResult();
        }
    }

    public async Task PublishAsync(string deviceId, IReadOnlyList<DesiredChange> changes, CancellationToken cancellationToken = default)
    {
        Task gate;
        Interlocked.Increment(ref _held);
        lock (_lock)
        {
            _entered.TrySetResult();
            gate = _gate.Task;
        }

        await gate;
        lock (_lock)
        {
            _published.AddRange(changes.Select(c => c.Version));
        }

        Interlocked.Decrement(ref _held);
    }

    private static TaskCompletionSource NewSource(bool open)
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (open)
        {
            source.SetResult();
        }

        return source;
    }
}
