using DeviceTwins.Analytics.Alerts;
using DeviceTwins.Analytics.Windows;

namespace DeviceTwins.Grains.Persistence;

/// <summary>A twin's retained closed windows and cleared alerts, oldest first.</summary>
public sealed record TwinHistory(IReadOnlyList<WindowAggregate> Windows, IReadOnlyList<Alert> Alerts)
{
    /// <summary>No history.</summary>
    public static TwinHistory Empty { get; } = new([], []);

    /// <summary>
    /// The history of these items, oldest first: each window (metric, size, start) and each alert (id) once, in the place of
    /// its first copy with the value of its last (an output republished after a crash is stored twice; the outbox's copy
    /// of an item is newer than the store's), at most <paramref name="limits"/> of each, the latest.
    /// </summary>
    public static TwinHistory Of(IEnumerable<WindowAggregate> windows, IEnumerable<Alert> alerts, TwinHistoryLimits limits)
    {
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentNullException.ThrowIfNull(alerts);
        return new TwinHistory(
            Latest(LastCopies(windows, w => (w.Metric, w.Size, w.Start)), limits.Windows),
            Latest(LastCopies(alerts, a => a.Id), limits.Alerts));
    }

    private static List<T> LastCopies<T, TKey>(IEnumerable<T> items, Func<T, TKey> keyOf)
        where TKey : notnull
    {
        var index = new Dictionary<TKey, int>();
        var kept = new List<T>();
        foreach (var item in items)
        {
            var key = keyOf(item);
            if (index.TryGetValue(key, out var at))
            {
                kept[at] = item;
            }
            else
            {
                index[key] = kept.Count;
                kept.Add(item);
            }
        }

        return kept;
    }

    private static List<T> Latest<T>(List<T> items, int limit) =>
        items.Count <= limit ? items : items.GetRange(items.Count - limit, limit);
}
