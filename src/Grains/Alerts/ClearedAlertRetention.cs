using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Grains.Alerts;

/// <summary>
/// Counts the cleared alerts of an index shard and names the oldest to drop once there are more than a shard keeps,
/// without scanning the shard: in an alert storm every batch used to list and sort all of a shard's alerts.
/// Cleared alerts wait in a queue by the instant they cleared; an entry whose alert has since gone or cleared again
/// is skipped when it comes out.
/// </summary>
public sealed class ClearedAlertRetention(int retained)
{
    private readonly PriorityQueue<string, DateTimeOffset> _byClearedAt = new();

    /// <summary>Cleared alerts the shard holds.</summary>
    public int Count { get; private set; }

    /// <summary>Takes an alert the shard stored, replacing <paramref name="before"/> (null when it is new).</summary>
    public void Stored(AlertInfo? before, AlertInfo after)
    {
        ArgumentNullException.ThrowIfNull(after);
        if (after.IsActive)
        {
            return;
        }

        if (before is null || before.IsActive)
        {
            Count++;
        }
        else if (before.ClearedAt == after.ClearedAt)
        {
            return;
        }

        _byClearedAt.Enqueue(after.Id, ClearedAt(after));
    }

    /// <summary>Takes an alert the shard removed.</summary>
    public void Removed(AlertInfo alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (!alert.IsActive)
        {
            Count--;
        }
    }

    /// <summary>The ids of the oldest cleared alerts beyond what the shard keeps, oldest first; the caller removes them.</summary>
    public List<string> Excess(IReadOnlyDictionary<string, AlertInfo> alerts)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        var excess = new List<string>();
        var over = Count - retained;
        while (excess.Count < over && _byClearedAt.TryDequeue(out var id, out var at))
        {
            if (alerts.TryGetValue(id, out var alert) && !alert.IsActive && ClearedAt(alert) == at)
            {
                excess.Add(id);
            }
        }

        return excess;
    }

    private static DateTimeOffset ClearedAt(AlertInfo alert) => alert.ClearedAt ?? DateTimeOffset.MinValue;
}
