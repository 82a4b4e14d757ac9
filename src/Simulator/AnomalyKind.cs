namespace DeviceTwins.Simulator;

/// <summary>Kinds of anomaly the simulator can inject into a device's telemetry.</summary>
public enum AnomalyKind
{
    /// <summary>The metric jumps by the magnitude for the duration, then returns.</summary>
    Spike,

    /// <summary>The metric drifts by the magnitude per minute for the duration.</summary>
    Drift,

    /// <summary>The metric shifts by the magnitude and stays shifted for the duration.</summary>
    LevelShift,

    /// <summary>The metric repeats the value it had at the start, unchanged, for the duration.</summary>
    Stuck,

    /// <summary>The device sends nothing for the duration.</summary>
    Dropout,
}
