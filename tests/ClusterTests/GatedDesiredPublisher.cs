using DeviceTwins.Grains.Interfaces.Models;
using DeviceTwins.Grains.Publishing;

namespace DeviceTwins.ClusterTests;

/// <summary>A desired-state publisher that holds each publication while closed, and says when one arrived.</summary>
internal sealed class GatedDesiredPublisher : IDesiredStatePublisher
{
    private readonly object _lock = new();
    private TaskCompletionSource _gate = NewSource(open: true);
    private TaskCompletionSource _entered = NewSource(open: false);

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

    public Task PublishAsync(string deviceId, IReadOnlyList<DesiredChange> changes, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            _entered.TrySetResult();
            return _gate.Task;
        }
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
