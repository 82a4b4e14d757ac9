namespace DeviceTwins.Simulator;

/// <summary>One anomaly to inject: what, into which devices and metric, when (after the simulator starts) and how strong.</summary>
public sealed class AnomalyOptions
{
    /// <summary>The kind of anomaly.</summary>
    public AnomalyKind Kind { get; set; }

    /// <summary>Device ids it applies to (e.g. "sim-0003").</summary>
    public List<string> Devices { get; set; } = [];

    /// <summary>The metric altered (temperature, pressure, humidity or battery); ignored by Dropout.</summary>
    public string Metric { get; set; } = "temperature";

    /// <summary>When it starts, after the simulator starts.</summary>
    public TimeSpan Start { get; set; }

    /// <summary>How long it lasts.</summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Size: the jump of a spike or level shift, the change per minute of a drift.</summary>
    public double Magnitude { get; set; } = 25;
}
