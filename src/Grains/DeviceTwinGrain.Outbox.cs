using System.Diagnostics;
using DeviceTwins.Analytics;
using DeviceTwins.Analytics.Alerts;
using DeviceTwins.Grains.Analytics;
using DeviceTwins.Grains.Diagnostics;
using DeviceTwins.Grains.Interfaces;
using DeviceTwins.Grains.Persistence;
using DeviceTwins.Grains.Publishing;
using DeviceTwins.Grains.Twin;
using Microsoft.Extensions.Logging;

namespace DeviceTwins.Grains;

/// <summary>
/// The twin's outbox: alert changes, closed windows and desired changes are stored with the state that made them, then
/// published by <see cref="TwinOutbox{TBatch}"/> outside the twin's turns, so a turn never waits for Kafka's
/// acknowledgement or the alert index. Only what a successful write made durable is taken; once published, windows and
/// cleared alerts go to the twin's history store and alerts to the fleet alert index, then leave the outbox.
/// </summary>
public sealed partial class DeviceTwinGrain : IOutboxOwner<OutboxBatch>
{
    // Outbox items that a successful write has made durable: the first ones of each list.
    private int _durableAlerts;
    private int _durableWindows;
    private int _durableDesired;
    private int _durableAudit;
    private int _durableCommands;

    // The traced turn that last added outputs: their publication continues its trace (a struct, 24 bytes per twin).
    private ActivityContext _outboxTrace;

    // Outputs made since the last successful write, which a write must store before they are published.
    private bool HasUndurableOutputs => Analytics.PendingAlerts.Count > _durableAlerts || Analytics.PendingWindows.Count > _durableWindows || PendingCommandEvents > _durableCommands;

    private TwinOutbox<OutboxBatch> Outbox => _outbox ??= new TwinOutbox<OutboxBatch>(services.Time, this);

    // Called after every successful write and reload: everything pending is now durable.
    private void MarkOutboxDurable()
    {
        _durableAlerts = Analytics.PendingAlerts.Count;
        _durableWindows = Analytics.PendingWindows.Count;
        _durableDesired = Documents.PendingDesired?.Count ?? 0;
        _durableAudit = PendingAuditCount;
        _durableCommands = PendingCommandEvents;
    }

    OutboxBatch? IOutboxOwner<OutboxBatch>.Take()
    {
        if (_mustReload || (_durableAlerts == 0 && _durableWindows == 0 && _durableDesired == 0 && _durableAudit == 0 && _durableCommands == 0))
        {
            return null;
        }

        return new OutboxBatch(
            Analytics,
            Documents,
            Analytics.PendingAlerts.GetRange(0, _durableAlerts),
            Analytics.PendingWindows.GetRange(0, _durableWindows),
            _durableDesired == 0 ? [] : Documents.PendingDesired!.GetRange(0, _durableDesired),
            _durableAudit == 0 ? [] : Documents.PendingAudit!.GetRange(0, _durableAudit),
            Tenant)
        {
            Trace = _outboxTrace,
            Commands = _durableCommands == 0 ? [] : twin.State.Commands!.PendingEvents.GetRange(0, _durableCommands),
        };
    }

    async Task IOutboxOwner<OutboxBatch>.PublishAsync(OutboxBatch batch)
    {
        using var activity = TwinTracing.StartPublish(DeviceId, batch.Trace);
        var started = services.Time.GetTimestamp();
        if (batch.Desired.Count > 0)
        {
            await services.DesiredPublisher.PublishAsync(DeviceId, batch.Desired);
        }

        if (batch.Commands.Count > 0)
        {
            await services.CommandPublisher.PublishAsync(DeviceId, batch.Commands);
        }

        if (batch.Audit.Count > 0)
        {
            await services.AuditPublisher.PublishAsync(DeviceId, batch.Audit);
        }

        var alerts = batch.Alerts.Select(a => AnalyticsMapping.ToInfo(a, batch.Tenant)).ToList();
        var first = OutputLanes.HasReadingAlert(batch.Alerts);
        if (alerts.Count > 0 || batch.Windows.Count > 0)
        {
            await services.Publisher.PublishAsync(DeviceId, alerts, [.. batch.Windows.Select(AnalyticsMapping.ToRecord)], first, activity?.Id);
        }

        services.Metrics.PublishStage("kafka", services.Time.GetElapsedTime(started), first ? OutputLanes.First : OutputLanes.Bulk);
        var cleared = batch.Alerts.Where(a => a.Status == AlertStatus.Cleared).ToList();
        if (batch.Windows.Count > 0 || cleared.Count > 0)
        {
            started = services.Time.GetTimestamp();
            await services.History.AppendAsync(DeviceId, batch.Windows, cleared, HistoryLimits);
            services.Metrics.PublishStage("history", services.Time.GetElapsedTime(started));
        }

        if (alerts.Count > 0)
        {
            started = services.Time.GetTimestamp();
            await services.AlertIndex.ReportAsync(DeviceId, alerts);
            services.Metrics.PublishStage("alert_index", services.Time.GetElapsedTime(started));
        }

        services.Metrics.Published(alerts, batch.Windows.Count, services.Time.GetUtcNow());
    }

    // An outbox list emptied by its publication gives its array back: a twin between window closes then holds none.
    private static void Published<T>(List<T> pending, int count)
    {
        pending.RemoveRange(0, count);
        if (pending.Count == 0)
        {
            pending.Capacity = 0;
        }
    }

    // A list made on demand (most twins never have one) is dropped once its publication empties it.
    private static List<T>? Remaining<T>(List<T>? pending, int published)
    {
        if (published == 0)
        {
            return pending;
        }

        pending!.RemoveRange(0, published);
        return pending.Count == 0 ? null : pending;
    }

    void IOutboxOwner<OutboxBatch>.Published(OutboxBatch batch)
    {
        if (!ReferenceEquals(batch.Owner, Analytics) || !ReferenceEquals(batch.Documents, Documents))
        {
            // The state was reloaded meanwhile: it still holds these outputs and publishes them again, with the same ids.
            return;
        }

        Published(Analytics.PendingAlerts, batch.Alerts.Count);
        Published(Analytics.PendingWindows, batch.Windows.Count);
        Documents.PendingDesired = Remaining(Documents.PendingDesired, batch.Desired.Count);
        Documents.PendingAudit = Remaining(Documents.PendingAudit, batch.Audit.Count);

        if (batch.Commands.Count > 0)
        {
            twin.State.Commands!.PendingEvents.RemoveRange(0, batch.Commands.Count);
        }

        _durableAlerts -= batch.Alerts.Count;
        _durableWindows -= batch.Windows.Count;
        _durableDesired -= batch.Desired.Count;
        _durableAudit -= batch.Audit.Count;
        _durableCommands -= batch.Commands.Count;
        if (batch.Trace == _outboxTrace)
        {
            _outboxTrace = default;
        }
        _unsaved = true;
        if (!Outbox.IsPublishing && !HasPendingOutputs)
        {
            Arm();
        }
    }

    void IOutboxOwner<OutboxBatch>.Failed(OutboxBatch batch, Exception exception, TimeSpan delay)
    {
        services.Metrics.PublishFailed();
        LogPublishFailed(exception, DeviceId, batch.Alerts.Count, batch.Windows.Count, batch.Desired.Count + batch.Audit.Count + batch.Commands.Count, delay);
        Arm();
    }

    private TwinHistoryLimits HistoryLimits => new(services.Analytics.RetainedWindows, services.Analytics.RetainedAlerts);

    // The published history with what is still in the outbox (whose copy of an item is the latest).
    private async Task<TwinHistory> ReadHistoryAsync()
    {
        var stored = await services.History.ReadAsync(DeviceId);
        return TwinHistory.Of(
            stored.Windows.Concat(Analytics.PendingWindows),
            stored.Alerts.Concat(Analytics.PendingAlerts.Where(a => a.Status == AlertStatus.Cleared)),
            HistoryLimits);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Twin {DeviceId} could not publish {Alerts} alert change(s), {Windows} window(s) and {Writes} desired change(s), audit record(s) and command event(s); they stay in its outbox, next try in {Delay}")]
    private partial void LogPublishFailed(Exception exception, string deviceId, int alerts, int windows, int writes, TimeSpan delay);
}
