namespace DeviceTwins.Analytics.Detection;

/// <summary>State of a <see cref="ThresholdDetector"/> for one (device, rule, metric).</summary>
public sealed class ThresholdState : DetectorState
{
    private long _sinceTicks = StoredInstant.None;
    private short _sinceOffsetMinutes;

    /// <summary>The limit crossed by the current excursion: the pending run while not anomalous, the raised anomaly while anomalous.</summary>
    public ThresholdSide Side { get; set; }

    /// <summary>Event time of the first record of the current excursion; null inside the limits.</summary>
    public DateTimeOffset? Since
    {
        get => StoredInstant.Read(_sinceTicks, _sinceOffsetMinutes);
        set => StoredInstant.Write(value, out _sinceTicks, out _sinceOffsetMinutes);
    }
}
