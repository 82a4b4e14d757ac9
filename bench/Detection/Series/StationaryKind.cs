namespace DeviceTwins.DetectionBench.Series;

/// <summary>The healthy sensors of the false-alarm benchmark: stationary series with no anomaly at all.</summary>
public enum StationaryKind
{
    /// <summary>Mean 20, deviation 0.3, one record a second.</summary>
    Gaussian,

    /// <summary>Student-t noise with 3 degrees of freedom, scale 0.3.</summary>
    StudentT3,

    /// <summary>Student-t noise with 5 degrees of freedom, scale 0.3.</summary>
    StudentT5,

    /// <summary>Uniform on [19.5, 20.5).</summary>
    Uniform,

    /// <summary>AR(1) with coefficient 0.98 and stationary deviation 0.3.</summary>
    Ar1,

    /// <summary>Gaussian noise (deviation 0.3) read by a sensor with a resolution of 0.25.</summary>
    Quantized,

    /// <summary>A daily sine of amplitude 5 with noise 0.3, one record a minute, rounded to 0.1.</summary>
    DailySine,

    /// <summary>A random walk (steps of deviation 0.05) reflected inside [15, 25], one record every 10 s.</summary>
    BoundedWalk,

    /// <summary>A constant 20 that steps by 0.1 up or down with probability 0.001 per record, inside [19, 21].</summary>
    ConstantSteps,
}
