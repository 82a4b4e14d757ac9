namespace DeviceTwins.Grains.Wake;

/// <summary>
/// Whether a sweep may wake twins now: only when the silos that asked for it recently read, caught up between them,
/// every telemetry partition. A device whose records still wait in Kafka (a partition moving after a crash, a backlog)
/// is not silent, and waking its twin before they arrive would report it offline falsely.
/// </summary>
public sealed class WakeSweepGate(TimeSpan liveFor)
{
    private readonly Dictionary<string, (int CaughtUp, int Total, DateTimeOffset HeardAt)> _callers = new(StringComparer.Ordinal);

    /// <summary>Records what <paramref name="caller"/> reads: <paramref name="caughtUp"/> partitions caught up, of <paramref name="total"/>.</summary>
    public void Heard(string caller, int caughtUp, int total, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(caller);
        _callers[caller] = (caughtUp, total, now);
    }

    /// <summary>
    /// True when the callers heard within the live period have every partition caught up between them (or no partition
    /// is known: no telemetry stream). A silo that stopped asking (it died) no longer counts, so its partitions count as
    /// behind until another silo reads them and catches up.
    /// </summary>
    public bool IntakeCaughtUp(DateTimeOffset now)
    {
        var caughtUp = 0;
        var total = 0;
        foreach (var (caller, heard) in _callers.ToList())
        {
            if (now - heard.HeardAt > liveFor)
            {
                _callers.Remove(caller);
                continue;
            }

            caughtUp += heard.CaughtUp;
            total = Math.Max(total, heard.Total);
        }

        return caughtUp >= total;
    }
}
