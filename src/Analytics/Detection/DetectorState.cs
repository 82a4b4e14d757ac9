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
    // Every twin holds several detector states: the optional values are plain fields with a sentinel (NaN, StoredInstant.None),
    // 24 bytes less per state than nullable fields.
    private long _lastTicks = StoredInstant.None;
    private double _lastValue = double.NaN;
    private short _lastOffsetMinutes;

    /// <summary>The condition after the last observed record.</summary>
    public bool Anomalous { get; set; }

    /// <summary>Event time of the last observed record.</summary>
    public DateTimeOffset? LastTimestamp
    {
        get => StoredInstant.Read(_lastTicks, _lastOffsetMinutes);
        set => StoredInstant.Write(value, out _lastTicks, out _lastOffsetMinutes);
    }

    /// <summary>Value of the last observed record (always finite: a detector never folds a value that is not).</summary>
    public double? LastValue
    {
        get => double.IsNaN(_lastValue) ? null : _lastValue;
        set => _lastValue = value ?? double.NaN;
    }
}
