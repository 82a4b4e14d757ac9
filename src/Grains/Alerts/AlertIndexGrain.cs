using DeviceTwins.Grains.Interfaces;
using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Grains.Alerts;

/// <summary>
/// One shard of the fleet alert index. Twins report every alert change here after publishing it; the shard keeps all
/// active alerts and the latest <see cref="RetainedCleared"/> cleared ones, persisted with the twins' storage.
/// </summary>
public sealed class AlertIndexGrain(
    [PersistentState("alerts", DeviceTwinGrain.StorageName)] IPersistentState<AlertIndexState> index) : Grain, IAlertIndexGrain
{
    /// <summary>Cleared alerts a shard keeps.</summary>
    public const int RetainedCleared = 1000;

    public async Task UpdateAsync(IReadOnlyList<AlertInfo> alerts)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        var all = index.State.Alerts;
        foreach (var alert in alerts)
        {
            // A redelivered older change never overwrites a newer one.
            if (!all.TryGetValue(alert.Id, out var known) || Rank(alert) >= Rank(known))
            {
                all[alert.Id] = alert;
            }
        }

        var cleared = all.Values.Where(a => !a.IsActive).ToList();
        if (cleared.Count > RetainedCleared)
        {
            foreach (var old in cleared.OrderBy(a => a.ClearedAt).Take(cleared.Count - RetainedCleared))
            {
                all.Remove(old.Id);
            }
        }

        await index.WriteStateAsync();
    }

    public Task<IReadOnlyList<AlertInfo>> QueryAsync(bool activeOnly, AlertCursor? after, int limit)
    {
        IReadOnlyList<AlertInfo> page = [.. index.State.Alerts.Values
            .Where(a => (!activeOnly || a.IsActive) && (after is null || after.Precedes(a)))
            .OrderByDescending(a => a.RaisedAt)
            .ThenBy(a => a.Id, StringComparer.Ordinal)
            .Take(Math.Clamp(limit, 0, 1000))];
        return Task.FromResult(page);
    }

    public Task<string?> DeviceOfAsync(string alertId) =>
        Task.FromResult(index.State.Alerts.TryGetValue(alertId, out var alert) ? alert.DeviceId : null);

    private static int Rank(AlertInfo alert) => alert.State switch
    {
        AlertStates.Raised => 0,
        AlertStates.Acknowledged => 1,
        _ => 2,
    };
}
