using DeviceTwins.Analytics.Alerts;
using DeviceTwins.Analytics.Detection;
using DeviceTwins.Analytics.Windows;

namespace DeviceTwins.Analytics;

/// <summary>
/// Everything a twin's analytics remember, persisted with the twin in the same write (in binary, AnalyticsStateCodec): the device's event-time
/// clock, open windows, detector and alert states, and the outbox of alerts and windows still to publish.
/// </summary>
public sealed class DeviceAnalyticsState
{
    /// <summary>Latest event time of any record.</summary>
    public DateTimeOffset? EventWatermark { get; set; }

    /// <summary>The device's event-time clock: the latest event time, advanced by processing time while the device is quiet.</summary>
    public DateTimeOffset? Watermark { get; set; }

    /// <summary>Processing time of the latest record.</summary>
    public DateTimeOffset? LastArrival { get; set; }

    /// <summary>Windows still accepting records.</summary>
    public OpenWindowSet OpenWindows { get; set; } = [];

    /// <summary>Detector state per metric, then per rule.</summary>
    public StateMap<StateMap<DetectorState>> Detectors { get; set; } = new();

    /// <summary>Heartbeat state per device-level rule.</summary>
    public StateMap<HeartbeatState> Heartbeats { get; set; } = new();

    /// <summary>Alert state per metric ("" for device-level rules), then per rule.</summary>
    public StateMap<StateMap<AlertState>> Alerts { get; set; } = new();

    /// <summary>Records refused by a closed window (later than the grace period).</summary>
    public long LateRecords { get; set; }

    /// <summary>Records older than a metric's latest, which detectors skip.</summary>
    public long OutOfOrderRecords { get; set; }

    /// <summary>Alert changes made but not yet published.</summary>
    public List<Alert> PendingAlerts { get; set; } = [];

    /// <summary>Closed windows not yet published.</summary>
    public List<WindowAggregate> PendingWindows { get; set; } = [];

    /// <summary>Whether anything waits to be published.</summary>
    public bool HasPending => PendingAlerts.Count > 0 || PendingWindows.Count > 0;
}
