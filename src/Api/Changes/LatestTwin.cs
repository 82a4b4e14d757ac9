using DeviceTwins.Grains.Interfaces.Commands;
using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Api.Changes;

/// <summary>
/// The coalescing buffer of one change stream: holds at most one twin, the newest offered, and refuses versions not above
/// the newest seen. A slow client therefore costs one twin of memory, and reads the latest state when it catches up.
/// Command changes are events, not state: each is kept, in order, up to <see cref="MaxCommands"/> (then the oldest go;
/// the command list has them all).
/// </summary>
internal sealed class LatestTwin(long after)
{
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _ready = new(0, 1);
    private TwinSnapshot? _pending;
    private long _highest = after;
    private readonly Queue<CommandInfo> _commands = new();

    /// <summary>Command changes held for a slow client before the oldest are dropped.</summary>
    public const int MaxCommands = 256;

    /// <summary>Keeps a command change to send after those already held.</summary>
    public void OfferCommand(CommandInfo command)
    {
        ArgumentNullException.ThrowIfNull(command);
        lock (_gate)
        {
            if (_commands.Count == MaxCommands)
            {
                _commands.Dequeue();
            }

            _commands.Enqueue(command);
            if (_ready.CurrentCount == 0)
            {
                _ready.Release();
            }
        }
    }

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

    /// <summary>Waits for the next change to send: a held command change first, else the newest twin offered since the last take.</summary>
    public async Task<TwinChange> TakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            lock (_gate)
            {
                if (_commands.TryDequeue(out var command))
                {
                    return new TwinChange(null, command);
                }

                if (_pending is { } twin)
                {
                    _pending = null;
                    return new TwinChange(twin, null);
                }
            }

            await _ready.WaitAsync(cancellationToken);
        }
    }
}
