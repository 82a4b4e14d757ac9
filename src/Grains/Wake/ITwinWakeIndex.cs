namespace DeviceTwins.Grains.Wake;

/// <summary>
/// The durable wake index: for each twin with work due on processing time (a window to close, a heartbeat deadline,
/// stored outputs to publish), the instant it is due, by shard. The twin store writes a twin's instant in the same
/// operation as its state (<see cref="Twin.DeviceTwinState.WakeAt"/>); <see cref="SetAsync"/> corrects it when it
/// changes without a state write.
/// </summary>
public interface ITwinWakeIndex
{
    /// <summary>Stores <paramref name="at"/> as the wake instant of <paramref name="deviceId"/>'s twin; null removes it.</summary>
    Task SetAsync(string deviceId, DateTimeOffset? at);

    /// <summary>Up to <paramref name="limit"/> devices of <paramref name="shard"/> due at or before <paramref name="until"/>, earliest first.</summary>
    Task<IReadOnlyList<string>> DueAsync(int shard, DateTimeOffset until, int limit);
}
