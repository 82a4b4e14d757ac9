using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Api.Changes;

/// <summary>
/// The coalescing buffer of one change stream: holds at most one twin, the newest offered, and refuses versions not above
/// the newest seen. A slow client therefore costs one twin of memory, and reads the latest state when it catches up.
/// </summary>
internal sealed class LatestTwin(long after)
{
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _ready = new(0, 1);
    private TwinSnapshot? _pending;
    private long _highest = after;

    /// <summary>Keeps <paramref name="twin"/> when it is newer than every twin offered so far; returns whether it was kept.</summary>
    public bool Offer(TwinSnapshot twin)
    {
        ArgumentNullException.ThrowIfNull(twin);
        lock (_gate)
        {
            if (twin.Version <= _highest)
            {
                return false;
            }

            _highest = twin.Version;
            _pending = twin;
            if (_ready.CurrentCount == 0)
            {
                _ready.Release();
            }

            return true;
        }
    }

    /// <summary>Waits for the next twin to send: the newest offered since the last take.</summary>
    public async Task<TwinSnapshot> TakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            lock (_gate)
            {
                if (_pending is { } twin)
                {
                    _pending = null;
                    return twin;
                }
            }

            await _ready.WaitAsync(cancellationToken);
        }
    }
}
