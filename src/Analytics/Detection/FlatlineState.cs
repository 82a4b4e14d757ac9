namespace DeviceTwins.Analytics.Detection;

/// <summary>State of a <see cref="FlatlineDetector"/> for one (device, rule, metric): the current flat run.</summary>
public sealed class FlatlineState : DetectorState
{
    private long _runStartTicks = StoredInstant.None;
    private short _runStartOffsetMinutes;

    /// <summary>The run's first value, which later values are compared with.</summary>
    public double RunValue { get; set; }

    /// <summary>Event time of the run's first record; null before the first record.</summary>
    public DateTimeOffset? RunStart
    {
        get => StoredInstant.Read(_runStartTicks, _runStartOffsetMinutes);
        set => StoredInstant.Write(value, out _runStartTicks, out _runStartOffsetMinutes);
    }

    /// <summary>Records in the run, stopping at <see cref="int.MaxValue"/>.</summary>
    public int RunRecords { get; set; }
}
