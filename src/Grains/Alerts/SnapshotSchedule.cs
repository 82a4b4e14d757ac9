namespace DeviceTwins.Grains.Alerts;

/// <summary>
/// When a journaled index shard writes its whole state: once the changes journaled since its last write reach half
/// the alerts it holds, so a write costs at most two alerts' bytes per change however large the shard grows, or once
/// changes have waited <paramref name="maxIntervals"/> write intervals, so the journal a restart replays stays short.
/// Before, a shard holding an alert storm's 6,000 alerts wrote them all every second.
/// </summary>
public sealed class SnapshotSchedule(int maxIntervals)
{
    private int _changes;
    private int _intervals;

    /// <summary>Records <paramref name="count"/> journaled changes.</summary>
    public void Changed(int count) => _changes += count;

    /// <summary>Called once per write interval: true when the shard, holding <paramref name="alerts"/> alerts, should write now.</summary>
    public bool IsDue(int alerts)
    {
        if (_changes == 0)
        {
            return false;
        }

        _intervals++;
        return _changes * 2L >= alerts || _intervals >= maxIntervals;
    }

    /// <summary>Records a full write: what was journaled before it is in the state.</summary>
    public void Written()
    {
        _changes = 0;
        _intervals = 0;
    }
}
