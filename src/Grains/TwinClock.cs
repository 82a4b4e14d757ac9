namespace DeviceTwins.Grains;

/// <summary>The key of the <see cref="TimeProvider"/> twins run on: processing time for quiet windows, heartbeats and retries (replaceable in tests without touching Orleans' own clock).</summary>
public static class TwinClock
{
    /// <summary>The keyed-service key.</summary>
    public const string Key = "DeviceTwins.Twins";
}
