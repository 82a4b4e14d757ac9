using DeviceTwins.Analytics;
using DeviceTwins.Grains.Alerts;
using DeviceTwins.Grains.Diagnostics;
using DeviceTwins.Grains.Index;
using DeviceTwins.Grains.Persistence;
using DeviceTwins.Grains.Publishing;
using DeviceTwins.Grains.Wake;
using Microsoft.Extensions.DependencyInjection;

namespace DeviceTwins.Grains;

/// <summary>
/// The silo's services a twin works with, one object per silo: each twin holds one reference to it rather than one per
/// service (96 bytes less per twin).
/// </summary>
public sealed class TwinServices(
    [FromKeyedServices(TwinClock.Key)] TimeProvider time,
    DeviceAnalytics analytics,
    IAnalyticsPublisher publisher,
    IDesiredStatePublisher desiredPublisher,
    IAuditPublisher auditPublisher,
    ICommandPublisher commandPublisher,
    TwinMetrics metrics,
    IDeviceIndexReporter fleetIndex,
    ITwinHistoryStore history,
    TwinTickGate tickGate,
    TwinTimerQueue timers,
    AlertIndexReporter alertIndex,
    ITwinWakeIndex wakeIndex)
{
    /// <summary>The twins' clock (processing time).</summary>
    public TimeProvider Time { get; } = time;

    /// <summary>The analytics engine and its rules.</summary>
    public DeviceAnalytics Analytics { get; } = analytics;

    /// <summary>Publishes alerts and closed windows.</summary>
    public IAnalyticsPublisher Publisher { get; } = publisher;

    /// <summary>Publishes desired-state changes.</summary>
    public IDesiredStatePublisher DesiredPublisher { get; } = desiredPublisher;

    /// <summary>Publishes the audit trail.</summary>
    public IAuditPublisher AuditPublisher { get; } = auditPublisher;

    /// <summary>Publishes commands to devices.</summary>
    public ICommandPublisher CommandPublisher { get; } = commandPublisher;

    /// <summary>The twins' metrics.</summary>
    public TwinMetrics Metrics { get; } = metrics;

    /// <summary>Reports device summaries to the fleet index.</summary>
    public IDeviceIndexReporter FleetIndex { get; } = fleetIndex;

    /// <summary>Retained windows and cleared alerts.</summary>
    public ITwinHistoryStore History { get; } = history;

    /// <summary>Bounds how many twins run their timed work at once.</summary>
    public TwinTickGate TickGate { get; } = tickGate;

    /// <summary>The silo's one timer heap for twins.</summary>
    public TwinTimerQueue Timers { get; } = timers;

    /// <summary>Reports alerts to the alert index.</summary>
    public AlertIndexReporter AlertIndex { get; } = alertIndex;

    /// <summary>The durable wake index.</summary>
    public ITwinWakeIndex WakeIndex { get; } = wakeIndex;
}
