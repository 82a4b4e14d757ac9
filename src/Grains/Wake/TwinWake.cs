namespace DeviceTwins.Grains.Wake;

/// <summary>When a twin must next run, stored so that the work is done even if its activation is gone.</summary>
public static class TwinWake
{
    /// <summary>
    /// How soon a twin holding stored, unpublished outputs and nothing else due is woken to publish them (after a crash
    /// between its write and its publication).
    /// </summary>
    public static readonly TimeSpan PendingOutputs = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The instant to store: the analytics' next due instant, or, with stored outputs and nothing else due,
    /// <see cref="PendingOutputs"/> from <paramref name="now"/>; null when nothing will come due.
    /// A twin with outputs and a due instant publishes them at that instant at the latest (the windows' length and grace
    /// with the defaults), so a write that stores outputs does not by itself schedule an extra wake.
    /// </summary>
    public static DateTimeOffset? At(DateTimeOffset? due, bool pendingOutputs, DateTimeOffset now) =>
        due ?? (pendingOutputs ? now + PendingOutputs : null);
}
