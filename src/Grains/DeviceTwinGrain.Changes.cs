using DeviceTwins.Grains.Interfaces;
using DeviceTwins.Grains.Interfaces.Commands;
using DeviceTwins.Grains.Interfaces.Models;
using DeviceTwins.Grains.Twin;
using Orleans.Utilities;

namespace DeviceTwins.Grains;

/// <summary>The live-changes side of the twin: observers subscribed over the cluster, told after each durable write.</summary>
public sealed partial class DeviceTwinGrain : ITwinChangesGrain
{
    private ObserverManager<ITwinChangeObserver>? _changeObservers;
    private long _notifiedVersion;

    public async Task<TwinSnapshot?> SubscribeChangesAsync(ITwinChangeObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        await ReloadIfStaleAsync();
        if (IsUnknown())
        {
            return null;
        }

        _changeObservers ??= new ObserverManager<ITwinChangeObserver>(ITwinChangesGrain.SubscriptionExpiry, logger) { GetDateTime = () => services.Time.GetUtcNow().UtcDateTime };
        _changeObservers.ClearExpired();
        _changeObservers.Subscribe(observer, observer);
        _notifiedVersion = Math.Max(_notifiedVersion, twin.State.Version);
        return TwinUpdater.Snapshot(DeviceId, twin.State);
    }

    public Task UnsubscribeChangesAsync(ITwinChangeObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        _changeObservers?.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    // Called after a successful write: only a new version is a change (a write of the outbox alone is not).
    private async Task NotifyChangedAsync()
    {
        if (_changeObservers is null || twin.State.Version <= _notifiedVersion)
        {
            return;
        }

        _notifiedVersion = twin.State.Version;
        _changeObservers.ClearExpired();
        if (_changeObservers.Count == 0)
        {
            return;
        }

        var snapshot = TwinUpdater.Snapshot(DeviceId, twin.State);
        // One-way calls: an observer that fails is dropped by the manager, and the twin never waits for a client.
        await _changeObservers.Notify(observer => observer.OnTwinChangedAsync(snapshot));
    }

    // Called after a successful write that stored command changes: they go to the observers together, in order.
    private async Task NotifyCommandsAsync(List<CommandInfo>? changes)
    {
        if (changes is null || _changeObservers is null)
        {
            return;
        }

        _changeObservers.ClearExpired();
        await _changeObservers.Notify(observer => observer.OnCommandsChangedAsync(changes));
    }
}
