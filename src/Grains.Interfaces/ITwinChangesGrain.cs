using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Grains.Interfaces;

/// <summary>Live changes of one device twin (the same activation as <see cref="IDeviceTwinGrain"/>, keyed by device id).</summary>
[Alias("dt.ITwinChangesGrain")]
public interface ITwinChangesGrain : IGrainWithStringKey
{
    /// <summary>How long a subscription lasts without being renewed.</summary>
    public static readonly TimeSpan SubscriptionExpiry = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Subscribes (or renews) <paramref name="observer"/> and returns the current twin, read in the same turn so no change
    /// falls between the two; null for a device never seen, and nothing is subscribed then.
    /// </summary>
    [Alias("SubscribeChanges")]
    Task<TwinSnapshot?> SubscribeChangesAsync(ITwinChangeObserver observer);

    /// <summary>Ends the subscription of <paramref name="observer"/>.</summary>
    [Alias("UnsubscribeChanges")]
    Task UnsubscribeChangesAsync(ITwinChangeObserver observer);
}
