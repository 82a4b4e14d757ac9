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
    ILogger<DeviceTwinGrain> logger) : Grain, IDeviceTwinGrain, IStreamSubscriptionObserver, IAsyncBatchObserver<TelemetryEvent>
{
    /// <summary>The grain storage provider holding twins.</summary>
    public const string StorageName = "twins";

    public Task<TwinSnapshot?> GetSnapshotAsync()
    {
        if (twin.State.MessageCount == 0)
        {
            // A query for an unknown device must not keep an activation around.
            DeactivateOnIdle();
            return Task.FromResult<TwinSnapshot?>(null);
        }

        return Task.FromResult<TwinSnapshot?>(TwinUpdater.Snapshot(this.GetPrimaryKeyString(), twin.State));
    }

    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        handleFactory.Create<TelemetryEvent>().ResumeAsync(this);

    public async Task OnNextAsync(IList<SequentialItem<TelemetryEvent>> items)
    {
        var now = time.GetUtcNow();
        var applied = 0;
        foreach (var item in items)
        {
            if (TwinUpdater.Apply(twin.State, item.Item, now))
            {
                applied++;
            }
        }

        if (applied < items.Count)
        {
            LogReplaySkipped(this.GetPrimaryKeyString(), items.Count - applied);
        }

        if (applied > 0)
        {
            await twin.WriteStateAsync();
        }
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex)
    {
        LogStreamError(ex, this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Twin {DeviceId} skipped {Count} already applied record(s)")]
    private partial void LogReplaySkipped(string deviceId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telemetry stream of twin {DeviceId} reported an error")]
    private partial void LogStreamError(Exception exception, string deviceId);
}
