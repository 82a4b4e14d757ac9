namespace DeviceTwins.Analytics.Detection;

/// <summary>The anomaly detectors a rule can name.</summary>
public enum DetectorKind
{
    /// <summary>Fixed limits with hysteresis and a minimum duration.</summary>
    Threshold,

    /// <summary>Deviation from a learned baseline, in standard deviations.</summary>
    ZScore,

    /// <summary>Change per second between consecutive records.</summary>
    RateOfChange,

    /// <summary>A value that stops changing.</summary>
    Flatline,

    /// <summary>A device that stops sending records (device level, see <see cref="HeartbeatDetector"/>).</summary>
    Heartbeat,
}
