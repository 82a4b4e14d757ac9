using DeviceTwins.Grains.Diagnostics;
using DeviceTwins.Grains.Interfaces;
using DeviceTwins.Grains.Interfaces.Models;
using DeviceTwins.Grains.Twin;
using Microsoft.Extensions.Logging;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace DeviceTwins.Grains;

/// <summary>
/// The twin of one device, activated by its telemetry stream. Each delivered batch is applied and written
/// before the delivery completes, so the Kafka offset behind it is committed only once the state is durable.
/// </summary>
[ImplicitStreamSubscription(TelemetryStreams.Namespace)]
public sealed partial class DeviceTwinGrain(
    [PersistentState("twin", DeviceTwinGrain.StorageName)] IPersistentState<DeviceTwinState> twin,
    TimeProvider time,
    TwinMetrics metrics,
    ILogger<DeviceTwinGrain> logger) : Grain, IDeviceTwinGrain, IStreamSubscriptionObserver, IAsyncBatchObserver<TelemetryEvent>
{
    /// <summary>The grain storage provider holding twins.</summary>
    public const string StorageName = "twins";

    private bool _mustReload;
    private string? _sourceTopic;
    private int _sourcePartition;
    private string? _sourceKey;

    public async Task<TwinSnapshot?> GetSnapshotAsync()
    {
        await ReloadIfStaleAsync();
        if (twin.State.MessageCount == 0)
        {
            // A query for an unknown device must not keep an activation around.
            DeactivateOnIdle();
            return null;
        }

        return TwinUpdater.Snapshot(this.GetPrimaryKeyString(), twin.State);
    }

    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        handleFactory.Create<TelemetryEvent>().ResumeAsync(this);

    public async Task OnNextAsync(IList<SequentialItem<TelemetryEvent>> items)
    {
        await ReloadIfStaleAsync();
        var now = time.GetUtcNow();
        var applied = 0;
        foreach (var item in items)
        {
            if (TwinUpdater.Apply(twin.State, item.Item, now, SourceKeyOf(item.Item)))
            {
                applied++;
            }
        }

        if (applied < items.Count)
        {
            metrics.Replayed(items.Count - applied);
            LogReplaySkipped(this.GetPrimaryKeyString(), items.Count - applied);
        }

        if (applied == 0)
        {
            return;
        }

        var started = time.GetTimestamp();
        try
        {
            await twin.WriteStateAsync();
        }
        catch (Exception exception)
        {
            metrics.WriteFailed();
            // The records are applied in memory but not durably. Drop them: the failed delivery is retried, and
            // must find the durable state, or it would skip these records as already applied.
            LogWriteFailed(exception, this.GetPrimaryKeyString(), applied);
            _mustReload = true;
            throw;
        }

        metrics.Written(time.GetElapsedTime(started));
        metrics.Applied(applied);
        var durableAt = time.GetUtcNow();
        metrics.EndToEnd(durableAt - items[^1].Item.Timestamp);
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        metrics.Activated();
        return base.OnActivateAsync(cancellationToken);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        metrics.Deactivated();
        return base.OnDeactivateAsync(reason, cancellationToken);
    }

    // A device's records come from one partition almost always: build its applied-offset key once, not per record.
    private string SourceKeyOf(TelemetryEvent telemetry)
    {
        if (_sourcePartition != telemetry.Partition || !string.Equals(_sourceTopic, telemetry.Topic, StringComparison.Ordinal))
        {
            _sourceTopic = telemetry.Topic;
            _sourcePartition = telemetry.Partition;
            _sourceKey = TwinUpdater.SourceKey(telemetry.Topic, telemetry.Partition);
        }

        return _sourceKey!;
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

            _mustReload = false;
        }
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex)
    {
        LogStreamError(ex, this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Twin {DeviceId} could not store {Count} applied record(s); they will be applied again on redelivery")]
    private partial void LogWriteFailed(Exception exception, string deviceId, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Twin {DeviceId} skipped {Count} already applied record(s)")]
    private partial void LogReplaySkipped(string deviceId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telemetry stream of twin {DeviceId} reported an error")]
    private partial void LogStreamError(Exception exception, string deviceId);
}
