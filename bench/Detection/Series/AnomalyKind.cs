namespace DeviceTwins.DetectionBench.Series;

/// <summary>The anomalies an IoT fleet has, injected into healthy series to measure detection and its delay.</summary>
public enum AnomalyKind
{
    /// <summary>One reading 8 deviations away.</summary>
    Spike,

    /// <summary>The level moves by 3 deviations and stays.</summary>
    LevelShift,

    /// <summary>The level drifts by 0.01 deviations a record (5 deviations after 500 records).</summary>
    Drift,

    /// <summary>The reading freezes at its last value for 600 records.</summary>
    Stuck,

    /// <summary>The noise triples for 1,000 records.</summary>
    VarianceChange,

    /// <summary>On a daily sine: one day loses its daily swing, every value staying inside the usual range.</summary>
    DailyShape,
}
