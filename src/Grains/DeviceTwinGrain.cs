using DeviceTwins.Analytics;
using DeviceTwins.Analytics.Rules;
using DeviceTwins.Grains.Alerts;
using DeviceTwins.Grains.Analytics;
using DeviceTwins.Grains.Diagnostics;
using DeviceTwins.Grains.Index;
using DeviceTwins.Grains.Interfaces;
using DeviceTwins.Grains.Interfaces.Models;
using DeviceTwins.Grains.Persistence;
using DeviceTwins.Grains.Publishing;
using DeviceTwins.Grains.Twin;
using DeviceTwins.Grains.Wake;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace DeviceTwins.Grains;

/// <summary>
/// The twin of one device, activated by its telemetry stream. Each delivered batch is applied to the twin and its
/// analytics and written before the delivery completes, so the Kafka offset behind it is committed only once the state
/// is durable. Alert changes and closed windows wait in the state's outbox, written in that same write, and are
/// published after it: a crash between the two republishes them with the same ids, never loses them.
/// A twin is placed on the silo whose pulling agent first delivers to it, the silo owning its device's partition, so
/// deliveries stay in-process and a silo that dies takes only its own partitions' twins with it.
/// </summary>
[ImplicitStreamSubscription(TelemetryStreams.Namespace)]
[Orleans.Placement.PreferLocalPlacement]
public sealed partial class DeviceTwinGrain(
    [PersistentState("twin", DeviceTwinGrain.StorageName)] IPersistentState<DeviceTwinState> twin,
    TwinServices services,
    ILogger<DeviceTwinGrain> logger) : Grain, IDeviceTwinGrain, IStreamSubscriptionObserver, IAsyncBatchObserver<TelemetryEvent>
{
    /// <summary>The grain storage provider holding twins.</summary>
    public const string StorageName = "twins";


    /// <summary>Outputs a twin holds unpublished before it refuses new records (back-pressure on its partition).</summary>
    public const int MaxOutbox = 10_000;
    // One buffer per thread, not per twin: a record's metrics are handed to the engine and read synchronously.
    [ThreadStatic]
    private static List<KeyValuePair<string, double>>? t_metricBuffer;
    private TwinTimer? _timer;
    private TwinOutbox<OutboxBatch>? _outbox;
    private DeviceRules? _rules;
    private bool _mustReload;
    private bool _unsaved;
    private RetryBackoff? _tickBackoff; // made on the first failed tick: most twins never need one

    // The id as a string, decoded once: Orleans decodes the grain id's UTF-8 bytes into a new string on every call of
    // GetPrimaryKeyString, and a turn asks for it several times (its trace, each record's analytics, the fleet summary,
    // which then keeps this same string rather than a copy of its own per write).
    private string? _deviceId;

    // The version of the state as last read from or written to storage. Every change to what a snapshot shows bumps
    // the version in the same synchronous step, before any await, so while it equals the state's, the state in memory
    // is the stored one, and an interleaved read (PeekStoredSnapshotAsync) may serve it.
    private long _storedVersion = -1;

    // The wake instant the wake index holds for this twin (written with the state, or corrected after a turn without a write).
    private DateTimeOffset? _storedWake;

    private string DeviceId => _deviceId ??= this.GetPrimaryKeyString();

    private DeviceRules Rules => _rules ??= services.Analytics.RulesFor(DeviceId, twin.State.Tags);

    private DeviceAnalyticsState Analytics => twin.State.Analytics;

    public async Task<TwinSnapshot?> GetSnapshotAsync()
    {
        await ReloadIfStaleAsync();
        return IsUnknown() ? null : TwinUpdater.Snapshot(DeviceId, twin.State);
    }

    public Task<TwinSnapshot?> PeekStoredSnapshotAsync() =>
        Task.FromResult(!_mustReload && twin.State.Exists && twin.State.Version == _storedVersion
            ? TwinUpdater.Snapshot(DeviceId, twin.State)
            : null);

    public async Task<IReadOnlyList<AlertInfo>?> GetAlertsAsync(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        await ReloadIfStaleAsync();
        if (IsHiddenFrom(caller))
        {
            return null;
        }

        var cleared = (await ReadHistoryAsync()).Alerts;
        var tenant = Tenant;
        return [.. DeviceAnalytics.AlertsOf(Analytics, cleared).Select(a => AnalyticsMapping.ToInfo(a, tenant))];
    }

    public async Task<IReadOnlyList<AggregateInfo>?> GetAggregatesAsync(string? metric, DateTimeOffset? from, DateTimeOffset? to, Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        await ReloadIfStaleAsync();
        if (IsHiddenFrom(caller))
        {
            return null;
        }

        return [.. (await ReadHistoryAsync()).Windows
            .Where(w => (metric is null || string.Equals(w.Metric, metric, StringComparison.Ordinal)) && (from is null || w.End > from) && (to is null || w.Start < to))
            .OrderBy(w => w.Start)
            .ThenBy(w => w.Metric, StringComparer.Ordinal)
            .ThenBy(w => w.Size)
            .Select(AnalyticsMapping.ToInfo)];
    }

    public async Task<IReadOnlyList<RuleInfo>?> GetRulesAsync(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        await ReloadIfStaleAsync();
        if (caller.Tenant is not null && IsHiddenFrom(caller))
        {
            return null;
        }

        var seen = twin.State.Metrics.Keys.Order(StringComparer.Ordinal).ToList();
        return [.. Rules.Selected.Select(rule => AnalyticsMapping.ToInfo(rule, rule.IsDeviceLevel ? [] : [.. seen.Where(m => Rules.For(m).Contains(rule))]))];
    }

    public async Task<TwinSnapshot?> SetTagsAsync(IReadOnlyDictionary<string, string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        await ReloadIfStaleAsync();
        if (IsUnknown())
        {
            return null;
        }

        if (ApplyTags(tags))
        {
            await WriteAsync(0, first: true);
            Outbox.Kick();
            Arm();
        }

        return TwinUpdater.Snapshot(DeviceId, twin.State);
    }

    // Replaces the tags in memory when they differ; the caller writes.
    private bool ApplyTags(IReadOnlyDictionary<string, string> tags)
    {
        var state = twin.State;
        if (state.Tags.Count == tags.Count && tags.All(t => state.Tags.TryGetValue(t.Key, out var v) && v == t.Value))
        {
            return false;
        }

        state.Tags = new Dictionary<string, string>(tags, StringComparer.Ordinal);
        state.Version++;
        state.UpdatedAt = services.Time.GetUtcNow();

        // Rules selected by tags change with them: resolve again, and clear what no longer applies.
        _rules = null;
        RetireRulesNoLongerInForce();
        return true;
    }

    public async Task<AcknowledgeResult> AcknowledgeAsync(string alertId, Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        await ReloadIfStaleAsync();
        if (IsHiddenFrom(caller))
        {
            return AcknowledgeResult.NotFound;
        }

        var before = DeviceAnalytics.AlertsOf(Analytics, []).FirstOrDefault(a => string.Equals(a.Id, alertId, StringComparison.Ordinal)) is { } active
            ? AnalyticsMapping.StateName(active.Status)
            : "unknown";
        if (!services.Analytics.Acknowledge(Analytics, alertId, services.Time.GetUtcNow()))
        {
            // Not active: either it has cleared (and is in the history) or the device never had it.
            var cleared = (await ReadHistoryAsync()).Alerts;
            return DeviceAnalytics.AlertsOf(Analytics, cleared).Any(a => string.Equals(a.Id, alertId, StringComparison.Ordinal))
                ? AcknowledgeResult.Cleared
                : AcknowledgeResult.NotFound;
        }

        // The acknowledgement's audit record is stored with it, so a write happens even when it was acknowledged already.
        Audit(caller, AuditActions.AlertAcknowledge, alertId, twin.State.Version, before);
        await WriteAsync(0, first: true);
        Outbox.Kick();
        Arm();
        return AcknowledgeResult.Acknowledged;
    }

    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        handleFactory.Create<TelemetryEvent>().ResumeAsync(this);

    public async Task OnNextAsync(IList<SequentialItem<TelemetryEvent>> items)
    {
        var started = services.Time.GetTimestamp();
        if (items.Count > 0 && items[0].Item.ReceivedAt != default)
        {
            // The delivery's oldest record: how long it waited between the silo's read and this turn.
            services.Metrics.Intake(TwinMetrics.IntakeDelivery, services.Time.GetUtcNow() - items[0].Item.ReceivedAt);
        }

        using var activity = TwinTracing.StartApply(DeviceId, items);
        await ReloadIfStaleAsync();
        if (Analytics.PendingAlerts.Count + Analytics.PendingWindows.Count >= MaxOutbox)
        {
            // Publishing has failed for long: hold the records back (the delivery is retried) rather than grow the outbox.
            Outbox.Kick();
            await Outbox.Idle;
            if (Analytics.PendingAlerts.Count + Analytics.PendingWindows.Count >= MaxOutbox)
            {
                throw new InvalidOperationException($"Twin {DeviceId} holds {MaxOutbox} unpublished outputs; its records wait until they are published.");
            }
        }

        var now = services.Time.GetUtcNow();
        var applied = 0;
        var late = 0;
        var commandEvents = PendingCommandEvents;
        var alertsBefore = Analytics.PendingAlerts.Count;
        foreach (var item in items)
        {
            var telemetry = item.Item;
            if (!TwinUpdater.Apply(twin.State, telemetry, now))
            {
                continue;
            }

            applied++;
            if (telemetry.CommandResult is not null || telemetry.Connection is not null)
            {
                ApplyCommandRecord(telemetry, now);
                if (telemetry.Metrics.Length == 0 && telemetry.Properties.Length == 0 && telemetry.Reported is null && telemetry.CommandResult is null)
                {
                    // A connection change is the bridge's news, not a sign of life for the heartbeat.
                    continue;
                }
            }

            var buffer = t_metricBuffer ??= [];
            buffer.Clear();
            foreach (var metric in telemetry.Metrics)
            {
                buffer.Add(new KeyValuePair<string, double>(metric.Name, metric.Value));
            }

            if (services.Analytics.Observe(Analytics, DeviceId, Rules, telemetry.Timestamp, buffer, now).Late)
            {
                late++;
            }
        }

        if (applied < items.Count)
        {
            services.Metrics.Replayed(items.Count - applied);
            LogReplaySkipped(DeviceId, items.Count - applied);
        }

        if (applied > 0)
        {
            if (activity is not null && HasUndurableOutputs)
            {
                _outboxTrace = activity.Context;
            }

            var commandChanges = FreshCommandEvents(commandEvents);
            await WriteAsync(applied, first: OutputLanes.HasReadingAlert(Analytics.PendingAlerts, alertsBefore));
            await NotifyCommandsAsync(commandChanges);
            services.Metrics.Applied(applied);
            services.Metrics.Late(late);
            services.Metrics.EndToEnd(services.Time.GetUtcNow() - items[^1].Item.Timestamp);
        }

        Outbox.Kick();
        Arm();
        services.Metrics.Turn(services.Time.GetElapsedTime(started));
    }

    // Called by the silo's timer queue, off the grain's scheduler: the tick goes in as a call through the gate.
    private Task TickThroughGateAsync() => services.TickGate.RunAsync(this.AsReference<IDeviceTwinGrain>().TickAsync);

    public Task TickAsync()
    {
        _timer!.Fired();
        return RunDueWorkAsync();
    }

    public Task WakeAsync() => RunDueWorkAsync();

    // The work due on processing time, from the twin's own timer or from the durable wake index.
    private async Task RunDueWorkAsync()
    {
        try
        {
            await ReloadIfStaleAsync();
            if (IsUnknown())
            {
                return;
            }

            services.Analytics.Tick(Analytics, DeviceId, Rules, services.Time.GetUtcNow());
            var commandEvents = PendingCommandEvents;
            ExpireCommands();
            if (HasUndurableOutputs)
            {
                var commandChanges = FreshCommandEvents(commandEvents);
                await WriteAsync(0, first: false);
                await NotifyCommandsAsync(commandChanges);
            }
            else if (WakeAt() is var wake && wake != _storedWake)
            {
                // Due work moved without a write (a heartbeat that found the device fine): keep the index in step.
                await services.WakeIndex.SetAsync(DeviceId, wake);
                _storedWake = wake;
            }

            Outbox.Kick();
            _tickBackoff?.Succeeded();
            Arm();
        }
        catch (Exception exception)
        {
            // A storage failure (logged by WriteAsync or thrown by the reload): the state reloads and a later tick retries.
            _tickBackoff ??= new RetryBackoff();
            if (IsStoreUnavailable(exception))
            {
                LogTickFailedStoreUnavailable(DeviceId, _tickBackoff.Delay);
            }
            else
            {
                LogTickFailed(exception, DeviceId, _tickBackoff.Delay);
            }

            _timer!.Arm(services.Time.GetUtcNow() + _tickBackoff.Failed());
        }
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        services.Metrics.Activated();
        TwinNames.Share(twin.State);
        _storedVersion = twin.State.Version;
        _storedWake = twin.State.WakeAt;
        MarkOutboxDurable();
        await base.OnActivateAsync(cancellationToken);
        _timer = new TwinTimer(services.Timers, static grain => ((DeviceTwinGrain)grain).TickThroughGateAsync(), this);
        if (twin.State.MessageCount > 0)
        {
            // Rules removed from the configuration since the last activation must not leave alerts active forever.
            RetireRulesNoLongerInForce();
            if (Analytics.PendingAlerts.Count > 0)
            {
                // Stored before anything publishes them, like every other output.
                await WriteAsync(0, first: false);
            }
        }

        // Outputs a previous activation stored but did not publish (a crash, a publish failure) go out first.
        if (HasPendingOutputs || NextDue() is not null)
        {
            _timer.Arm(services.Time.GetUtcNow());
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        services.Metrics.Deactivated();
        _timer?.Dispose();
        if (_outbox is not null)
        {
            // A publication in flight ends (or fails) before the outbox's state is stored.
            await _outbox.Idle;
        }

        if (_unsaved && !_mustReload)
        {
            // Published outputs left the outbox in memory only: store that, or the next activation republishes them.
            try
            {
                await twin.WriteStateAsync(cancellationToken);
            }
            catch (Exception exception)
            {
                LogWriteFailed(exception, DeviceId, 0);
            }
        }

        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex)
    {
        LogStreamError(ex, DeviceId);
        return Task.CompletedTask;
    }

    private bool IsUnknown()
    {
        if (!twin.State.Exists)
        {
            // A query for an unknown device must not keep an activation around.
            DeactivateOnIdle();
            return true;
        }

        return false;
    }

    // first: the write carries a new alert about a reading, or an API caller waits for it; it goes ahead of bulk writes.
    private async Task WriteAsync(int applied, bool first)
    {
        var started = services.Time.GetTimestamp();
        // The store writes the wake instant into the wake index in the same operation as the state.
        twin.State.WakeAt = WakeAt();
        twin.State.WriteFirst = first;
        try
        {
            await twin.WriteStateAsync();
        }
        catch (Exception exception)
        {
            services.Metrics.WriteFailed();
            // The changes are in memory but not durable. Drop them: the failed delivery is retried, and must find the
            // durable state, or it would skip these records as already applied.
            if (IsStoreUnavailable(exception))
            {
                // The silo logs the outage once (the store's circuit breaker); no stack trace per write.
                LogWriteFailedStoreUnavailable(DeviceId, applied);
            }
            else
            {
                LogWriteFailed(exception, DeviceId, applied);
            }

            _mustReload = true;
            throw;
        }
        finally
        {
            twin.State.WriteFirst = false;
        }

        _unsaved = false;
        _storedVersion = twin.State.Version;
        _storedWake = twin.State.WakeAt;
        MarkOutboxDurable();
        services.Metrics.Written(services.Time.GetElapsedTime(started), first ? OutputLanes.First : OutputLanes.Bulk);

        // Write-behind to the fleet device index: queued in this silo, sent to the shard within a flush interval.
        services.FleetIndex.Report(DeviceSummaries.Of(DeviceId, twin.State));
        await NotifyChangedAsync();
    }

    private DateTimeOffset? WakeAt() => TwinWake.At(NextDue(), HasPendingOutputs, services.Time.GetUtcNow());

    // The analytics' next due instant or a command's timeout, whichever is first.
    private DateTimeOffset? NextDue()
    {
        var due = services.Analytics.NextDue(Analytics, Rules, services.Analytics.Windows.QuietCloseDelayOf(this.GetGrainId().Key.AsSpan()));
        return twin.State.Commands?.NextDeadline is { } deadline && (due is null || deadline < due) ? deadline : due;
    }

    private void Arm()
    {
        var due = NextDue();
        if (HasPendingOutputs && !Outbox.IsPublishing)
        {
            // Not in flight: a retry after a failure, or a reload after a failed write, is due.
            var retry = Outbox.RetryAt ?? services.Time.GetUtcNow();
            due = due is { } next && next < retry ? next : retry;
        }

        _timer!.Arm(due);
        if (due is { } at)
        {
            // A quiet device's last window and its heartbeat depend on this activation staying alive until then.
            DelayDeactivation(TimeSpan.FromTicks(Math.Min(TwinTimer.MaxDelay.Ticks, (at - services.Time.GetUtcNow()).Ticks)) + TimeSpan.FromMinutes(1));
        }
    }

    // Clears the alerts and drops the state of rules that no longer select this device (configuration or tags changed).
    private void RetireRulesNoLongerInForce()
    {
        if (DeviceAnalytics.DeviceClock(Analytics, services.Time.GetUtcNow()) is { } clock)
        {
            services.Analytics.Retire(Analytics, Rules, clock);
        }
    }

    private static bool IsStoreUnavailable(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is TwinStoreUnavailableException)
            {
                return true;
            }
        }

        return false;
    }

    private async Task ReloadIfStaleAsync()
    {
        if (_mustReload)
        {
            await twin.ReadStateAsync();
            if (!twin.RecordExists)
            {
                // Nothing was ever stored: start again from an empty twin, whatever the provider left in State.
                twin.State = new DeviceTwinState();
            }

            TwinNames.Share(twin.State);

            _storedVersion = twin.State.Version;
            _storedWake = twin.State.WakeAt;
            _mustReload = false;
            MarkOutboxDurable();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Twin {DeviceId} could not store {Count} applied record(s); they will be applied again on redelivery")]
    private partial void LogWriteFailed(Exception exception, string deviceId, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Twin {DeviceId} could not store {Count} applied record(s), the twin store being unreachable; they will be applied again on redelivery")]
    private partial void LogWriteFailedStoreUnavailable(string deviceId, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Twin {DeviceId} skipped {Count} already applied record(s)")]
    private partial void LogReplaySkipped(string deviceId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Twin {DeviceId} could not run its due analytics work; next try in {Delay}")]
    private partial void LogTickFailed(Exception exception, string deviceId, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Twin {DeviceId} could not run its due analytics work, the twin store being unreachable; next try in {Delay}")]
    private partial void LogTickFailedStoreUnavailable(string deviceId, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telemetry stream of twin {DeviceId} reported an error")]
    private partial void LogStreamError(Exception exception, string deviceId);
}
