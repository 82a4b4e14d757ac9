using DeviceTwins.Grains.Persistence;
using DeviceTwins.Grains.Interfaces;
using DeviceTwins.Grains.Interfaces.Models;
using Microsoft.Extensions.Logging;

namespace DeviceTwins.Grains.Alerts;

/// <summary>
/// One shard of the fleet alert index. Twins report every alert change here after publishing it; the shard keeps all
/// active alerts and the latest <see cref="RetainedCleared"/> cleared ones. Updates apply in memory at once (queries
/// see them). Before a batch is acknowledged (and its alerts leave their twins' outboxes) it is appended to the shard's
/// journal (<see cref="IAlertIndexJournal"/>, one call per batch), which a shard activating after a crash reads back
/// and which each full write clears: a crash loses nothing from the index. The full state is written behind, checked
/// once per <see cref="WriteInterval"/> and written when the <see cref="SnapshotSchedule"/> says (changes reaching
/// half the shard, or waiting <see cref="MaxWriteIntervals"/> intervals): an alert storm costs a few writes per shard.
/// </summary>
public sealed partial class AlertIndexGrain(
    [PersistentState("alerts", DeviceTwinGrain.StorageName)] IPersistentState<AlertIndexState> index,
    IAlertIndexJournal journal,
    ILogger<AlertIndexGrain> logger) : Grain, IAlertIndexGrain
{
    /// <summary>How often a shard checks whether its changed state is due to be written.</summary>
    public static readonly TimeSpan WriteInterval = TimeSpan.FromSeconds(1);

    /// <summary>Write intervals changes wait at most before the shard's state is written.</summary>
    public const int MaxWriteIntervals = 30;

    private readonly SnapshotSchedule _schedule = new(MaxWriteIntervals);
    private ClearedAlertRetention? _retention;

    private IGrainTimer? _writer;
    private AlertsByTenant? _byTenant;
    private WriteBehindState<AlertIndexState>? _writeBehind;
    /// <summary>Cleared alerts a shard keeps.</summary>
    public const int RetainedCleared = 1000;

    /// <summary>Largest page a shard returns: the API's largest page plus one, to tell whether more follow.</summary>
    public const int MaxPage = 1001;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Changes taken after the shard's last full write (a crash, a failed write before deactivation).
        var journaled = await journal.ReadAsync(Shard);
        if (journaled.Count > 0)
        {
            Apply(journaled);
            LogJournalReplayed(Shard, journaled.Count);
        }

        await base.OnActivateAsync(cancellationToken);
    }

    public async Task UpdateAsync(IReadOnlyList<AlertInfo> alerts)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        Apply(alerts);
        // Durable before acknowledged: a failure fails the batch, and the twins keep the alerts in their outboxes.
        await journal.AppendAsync(Shard, alerts);
    }

    private int Shard => (int)this.GetPrimaryKeyLong();

    private void Apply(IReadOnlyList<AlertInfo> alerts)
    {
        var all = index.State.Alerts;
        var byTenant = ByTenant;
        var retention = Retention;
        foreach (var alert in alerts)
        {
            // A redelivered older change never overwrites a newer one.
            if (!all.TryGetValue(alert.Id, out var known) || Rank(alert) >= Rank(known))
            {
                all[alert.Id] = alert;
                byTenant.Set(known, alert);
                retention.Stored(known, alert);
            }
        }

        if (retention.Count > RetainedCleared)
        {
            foreach (var id in retention.Excess(all))
            {
                var old = all[id];
                all.Remove(id);
                byTenant.Remove(old);
                retention.Removed(old);
            }
        }

        WriteBehind.MarkDirty();
        _schedule.Changed(alerts.Count);
        _writer ??= this.RegisterGrainTimer(WriteWhenDueAsync, new GrainTimerCreationOptions { DueTime = WriteInterval, Period = WriteInterval, KeepAlive = true });
    }

    private Task WriteWhenDueAsync(CancellationToken cancellationToken) =>
        _schedule.IsDue(index.State.Alerts.Count) ? WriteAsync(cancellationToken) : Task.CompletedTask;

    // The timer's turn does not interleave with UpdateAsync: the journal cleared holds only what this write stored.
    private async Task WriteAsync(CancellationToken cancellationToken)
    {
        if (await WriteBehind.WriteIfDirtyAsync(cancellationToken))
        {
            _schedule.Written();
            try
            {
                await journal.ClearAsync(Shard);
            }
            catch (Exception exception)
            {
                // Left in the journal, the changes are replayed by rank at the next activation: harmless.
                LogWriteFailed(exception, Shard);
            }
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await WriteAsync(cancellationToken);
        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    public Task<IReadOnlyList<AlertInfo>> QueryAsync(bool activeOnly, AlertCursor? after, int limit, string? tenant)
    {
        var alerts = tenant is null ? index.State.Alerts.Values : ByTenant.Of(tenant);
        IReadOnlyList<AlertInfo> page = [.. alerts
            .Where(a => (!activeOnly || a.IsActive) && (after is null || after.Precedes(a)))
            .OrderByDescending(a => a.RaisedAt)
            .ThenBy(a => a.Id, StringComparer.Ordinal)
            .Take(Math.Clamp(limit, 0, MaxPage))];
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

    // Built from the shard's alerts at first use (after the state is read), then kept up to date by every change.
    private AlertsByTenant ByTenant
    {
        get
        {
            if (_byTenant is null)
            {
                _byTenant = new AlertsByTenant();
                foreach (var alert in index.State.Alerts.Values)
                {
                    _byTenant.Set(null, alert);
                }
            }

            return _byTenant;
        }
    }

    // Built from the shard's alerts at first use (after the state is read), then kept up to date by every change.
    private ClearedAlertRetention Retention
    {
        get
        {
            if (_retention is null)
            {
                _retention = new ClearedAlertRetention(RetainedCleared);
                foreach (var alert in index.State.Alerts.Values)
                {
                    _retention.Stored(null, alert);
                }
            }

            return _retention;
        }
    }

    private WriteBehindState<AlertIndexState> WriteBehind =>
        _writeBehind ??= new(index, exception => LogWriteFailed(exception, this.GetPrimaryKeyLong()));

    [LoggerMessage(Level = LogLevel.Debug, Message = "Alert index shard {Shard} took {Count} change(s) from its journal")]
    private partial void LogJournalReplayed(int shard, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert index shard {Shard} could not be written; it retries at the next interval")]
    private partial void LogWriteFailed(Exception exception, long shard);
}
