namespace DeviceTwins.Grains;

/// <summary>
/// Bounds the timer ticks in flight in a silo. When a whole fleet goes quiet at once (a network outage), every twin's
/// heartbeat and last windows fall due together; unbounded, their ticks (each a turn, a state write and a publication)
/// would queue ahead of the telemetry deliveries that carry new anomalies. A tick waits here, outside its twin (which
/// stays free to take deliveries), so a storm drains at a bounded pace behind the deliveries, never in front of them.
/// </summary>
public sealed class TwinTickGate(int maxConcurrentTicks)
{
    /// <summary>The default bound.</summary>
    public const int DefaultMaxConcurrentTicks = 32;

    private readonly SemaphoreSlim _slots = new(maxConcurrentTicks, maxConcurrentTicks);

    /// <summary>A gate with the default bound.</summary>
    public TwinTickGate()
        : this(DefaultMaxConcurrentTicks)
    {
    }

    /// <summary>Runs <paramref name="tick"/> once a slot is free; a failure is the tick's own (the twin logs and re-arms).</summary>
    public async Task RunAsync(Func<Task> tick)
    {
        ArgumentNullException.ThrowIfNull(tick);
        await _slots.WaitAsync().ConfigureAwait(false);
        try
        {
            await tick().ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }
}
