using System.Text.Json.Serialization;

namespace DeviceTwins.Analytics.Detection;

/// <summary>Mutable per-(device, rule, metric) state of a metric detector, persisted with the twin as JSON.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(ThresholdState), "threshold")]
[JsonDerivedType(typeof(ZScoreState), "zscore")]
[JsonDerivedType(typeof(RateOfChangeState), "rate")]
[JsonDerivedType(typeof(FlatlineState), "flatline")]
public abstract class DetectorState
{
    /// <summary>The condition after the last observed record.</summary>
    public bool Anomalous { get; set; }

    /// <summary>Event time of the last observed record.</summary>
    public DateTimeOffset? LastTimestamp { get; set; }

    /// <summary>Value of the last observed record.</summary>
    public double? LastValue { get; set; }
}
