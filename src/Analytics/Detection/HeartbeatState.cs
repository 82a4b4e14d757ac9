namespace DeviceTwins.Analytics.Detection;

/// <summary>State of a <see cref="HeartbeatDetector"/> for one device, persisted with the twin as JSON.</summary>
public sealed class HeartbeatState
{
    /// <summary>Event time of the latest record.</summary>
    public DateTimeOffset? LastSeen { get; set; }

    /// <summary>Exponentially weighted mean interval between records, in seconds.</summary>
    public double IntervalSeconds { get; set; }

    /// <summary>Intervals folded into <see cref="IntervalSeconds"/>, stopping at <see cref="int.MaxValue"/>.</summary>
    public int Intervals { get; set; }

    /// <summary>True from the check that found the device silent until its next record.</summary>
    public bool Anomalous { get; set; }
}
