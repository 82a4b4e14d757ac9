namespace DeviceTwins.Grains.Interfaces;

/// <summary>
/// One shard of the durable wake index, keyed by shard number: it wakes the twins of its shard whose stored work came
/// due and was not done (their activation is gone: a crashed silo, a deactivated or shed twin, a lost tick).
/// </summary>
[Alias("dt.ITwinWakeGrain")]
public interface ITwinWakeGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Wakes the shard's overdue twins (at most one batch); answers how many were woken. <paramref name="caller"/> (a silo)
    /// says how many telemetry partitions it reads caught up, of <paramref name="totalPartitions"/>: the shard sweeps only
    /// while the silos asking read all of them caught up. A sweep right after another does nothing.
    /// </summary>
    [Alias("Sweep")]
    Task<int> SweepAsync(string caller, int caughtUpPartitions, int totalPartitions);
}
