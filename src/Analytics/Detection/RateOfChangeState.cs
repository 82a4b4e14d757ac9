namespace DeviceTwins.Analytics.Detection;

/// <summary>State of a <see cref="RateOfChangeDetector"/> for one (device, rule, metric).</summary>
public sealed class RateOfChangeState : DetectorState
{
    /// <summary>The last rate computed, in units per second.</summary>
    public double Rate { get; set; }
}
