using DeviceTwins.Grains.Persistence;
using DeviceTwins.Grains.Interfaces;
using DeviceTwins.Grains.Interfaces.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DeviceTwins.Grains.Index;

/// <summary>
/// One shard of the fleet device index. Silos' reporters send it batches of twin summaries once per flush interval;
/// they apply in memory at once (queries see them) and the shard's state is written behind, at most once per
/// <see cref="DeviceIndexOptions.PersistInterval"/>: one storage write per shard per interval, whatever the number of
/// updates. The shard's freshness (<see cref="DeviceIndexPage.AsOf"/>) is the oldest cutoff of the reporters heard from
/// recently. What a crash loses (this shard's updates since its last write, or a reporter's unsent summaries) is
/// rebuilt from the summaries the twin store writes with each twin (<see cref="IDeviceSummaryStore"/>): when the shard
/// activates, and when a reporter falls silent (its silo stopped or died).
/// </summary>
public sealed partial class DeviceIndexGrain(
    [PersistentState("devices", DeviceTwinGrain.StorageName)] IPersistentState<DeviceIndexState> index,
    [FromKeyedServices(TwinClock.Key)] TimeProvider time,
    IOptions<DeviceIndexOptions> options,
    IDeviceSummaryStore summaries,
    ILogger<DeviceIndexGrain> logger) : Grain, IDeviceIndexGrain
{
    /// <summary>Largest page a shard returns: the API's largest page plus one, to tell whether more follow.</summary>
    public const int MaxPage = 1001;

    // A reporter not heard from for this many flush intervals (its silo stopped) no longer holds the freshness back.
    private const int ReporterExpiryIntervals = 5;
    private const string ActivatedReason = "activated";

    private readonly Dictionary<string, (DateTimeOffset Cutoff, DateTimeOffset HeardAt)> _reporters = new(StringComparer.Ordinal);
    private DeviceIndexTable _table = null!;
    private IGrainTimer? _writer;
    private WriteBehindState<DeviceIndexState>? _writeBehind;
    private bool _rebuildPending;

    private DeviceIndexOptions Options => options.Value;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (summaries.IsDurable)
        {
            // The store holds every twin's summary: the shard is rebuilt from it, and a copy left by an older version
            // (written whole every PersistInterval, an O(fleet) write) is dropped to free its memory in the store.
            await DropStoredCopyAsync();
            index.State.Devices.Clear();
            index.State.AsOf = null;
        }

        _table = new DeviceIndexTable(index.State.Devices);
        var shard = (int)this.GetPrimaryKeyLong();
        // After a change of DeviceIndex:Shards, devices that now belong elsewhere would be served twice or stale.
        var misplaced = _table.RemoveWhere(id => DeviceIndexShards.Of(id, Options.Shards) != shard);
        if (misplaced > 0)
        {
            LogMisplacedDropped(shard, misplaced);
            MarkDirty();
        }

        // Writes the shard's stored state did not see (it is written behind), or all of them when the store is durable.
        _rebuildPending = !await ReconcileAsync(ActivatedReason) && summaries.IsDurable;
        var check = Options.FlushInterval * ReporterExpiryIntervals;
        this.RegisterGrainTimer(CheckReportersAsync, new GrainTimerCreationOptions { DueTime = check, Period = check, KeepAlive = false });
        await base.OnActivateAsync(cancellationToken);
    }

    public Task UpdateAsync(DeviceIndexBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var now = time.GetUtcNow();
        _reporters[batch.Reporter] = (batch.Cutoff, now);
        var changed = false;
        foreach (var summary in batch.Devices)
        {
            changed |= _table.Upsert(summary);
        }

        // Freshness alone is not worth a write: it is stored with the next change.
        index.State.AsOf = AsOf(now);
        if (changed)
        {
            MarkDirty();
        }

        return Task.CompletedTask;
    }

    public Task<DeviceIndexPage> QueryAsync(DeviceQuery query, string? afterId, int limit)
    {
        ArgumentNullException.ThrowIfNull(query);
        var now = time.GetUtcNow();
        var items = _table.Query(query, afterId, Math.Clamp(limit, 0, MaxPage), now, Options.OfflineAfter);
        return Task.FromResult(new DeviceIndexPage(items, AsOf(now)));
    }

    public Task<FleetCounts> CountAsync(string? tenant)
    {
        var now = time.GetUtcNow();
        return Task.FromResult(_table.CountByStatus(tenant, now, Options.OfflineAfter) with { AsOf = AsOf(now) });
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await WriteBehind.WriteIfDirtyAsync(cancellationToken);
        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    // A reporter silent for the expiry (its silo stopped or died) may have taken summaries with it: read them back.
    private async Task CheckReportersAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var expiry = Options.FlushInterval * ReporterExpiryIntervals;
        var silent = _reporters.Where(r => now - r.Value.HeardAt > expiry).Select(r => r.Key).ToList();
        if (_rebuildPending)
        {
            _rebuildPending = !await ReconcileAsync("the store could not be read at activation");
        }

        if (silent.Count == 0)
        {
            return;
        }

        foreach (var reporter in silent)
        {
            _reporters.Remove(reporter);
        }

        await ReconcileAsync("a reporter fell silent");
    }

    // False when the store could not be read.
    private async Task<bool> ReconcileAsync(string reason)
    {
        var shard = (int)this.GetPrimaryKeyLong();
        var readAt = time.GetUtcNow();
        IReadOnlyList<DeviceSummary> stored;
        try
        {
            stored = await summaries.ReadShardAsync(shard);
        }
        catch (Exception exception)
        {
            // The next silent reporter or activation tries again; the reporters keep the shard current meanwhile.
            LogReconcileFailed(exception, shard);
            return false;
        }

        if (summaries.IsDurable && (reason == ActivatedReason || _rebuildPending))
        {
            // Every twin write made before the read is in what it returned (the summary is written in the twin's script).
            index.State.AsOf = readAt;
        }

        var updated = 0;
        foreach (var summary in stored)
        {
            if (summary.Version > _table.VersionOf(summary.DeviceId) && DeviceIndexShards.Of(summary.DeviceId, Options.Shards) == shard && _table.Upsert(summary))
            {
                updated++;
            }
        }

        if (updated > 0)
        {
            if (reason == ActivatedReason)
            {
                // Routine at every start: the shard catches up with what twins wrote while it was not active.
                LogReconciledOnActivation(shard, updated, stored.Count);
            }
            else
            {
                LogReconciled(shard, updated, stored.Count, reason);
            }

            MarkDirty();
        }

        return true;
    }

    private async Task DropStoredCopyAsync()
    {
        if (!index.RecordExists)
        {
            return;
        }

        try
        {
            await index.ClearStateAsync();
        }
        catch (Exception exception)
        {
            // Harmless: the copy is ignored whenever the store is durable; the next activation tries again.
            LogDropCopyFailed(exception, this.GetPrimaryKeyLong());
        }
    }

    // The oldest cutoff among live reporters; with none live, what the shard last knew (persisted).
    private DateTimeOffset? AsOf(DateTimeOffset now)
    {
        var expiry = Options.FlushInterval * ReporterExpiryIntervals;
        DateTimeOffset? oldest = null;
        foreach (var (cutoff, heardAt) in _reporters.Values)
        {
            if (now - heardAt <= expiry && (oldest is null || cutoff < oldest))
            {
                oldest = cutoff;
            }
        }

        return oldest ?? index.State.AsOf;
    }

    private void MarkDirty()
    {
        if (summaries.IsDurable)
        {
            return;
        }

        WriteBehind.MarkDirty();
        _writer ??= this.RegisterGrainTimer(WriteBehind.WriteIfDirtyAsync, new GrainTimerCreationOptions { DueTime = Options.PersistInterval, Period = Options.PersistInterval, KeepAlive = true });
    }

    private WriteBehindState<DeviceIndexState> WriteBehind =>
        _writeBehind ??= new(index, exception => LogWriteFailed(exception, this.GetPrimaryKeyLong()));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Device index shard {Shard} could not be written; it retries at the next interval")]
    private partial void LogWriteFailed(Exception exception, long shard);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Device index shard {Shard} took {Updated} newer summaries of {Stored} stored ones on activation")]
    private partial void LogReconciledOnActivation(int shard, int updated, int stored);

    [LoggerMessage(Level = LogLevel.Information, Message = "Device index shard {Shard} took {Updated} newer summaries of {Stored} stored ones ({Reason})")]
    private partial void LogReconciled(int shard, int updated, int stored, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Device index shard {Shard} could not read the stored summaries; it tries again when a reporter falls silent or it activates")]
    private partial void LogReconcileFailed(Exception exception, int shard);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Device index shard {Shard} could not drop the copy of its devices an older version stored; it tries again at its next activation")]
    private partial void LogDropCopyFailed(Exception exception, long shard);

    [LoggerMessage(Level = LogLevel.Information, Message = "Device index shard {Shard} dropped {Count} devices that belong to other shards (DeviceIndex:Shards changed)")]
    private partial void LogMisplacedDropped(int shard, int count);
}
