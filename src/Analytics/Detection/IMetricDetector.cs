namespace DeviceTwins.Analytics.Detection;

/// <summary>Detector logic for one metric: immutable configuration shared by every device, with state kept apart.</summary>
public interface IMetricDetector
{
    /// <summary>The detector's kind.</summary>
    DetectorKind Kind { get; }

    /// <summary>A fresh state for one (device, rule, metric).</summary>
    DetectorState CreateState();

    /// <summary>Folds one record, in event-time order (timestamps never decrease), into the state and returns the verdict after it.</summary>
    DetectorVerdict Observe(DetectorState state, string metric, double value, DateTimeOffset timestamp);
}
