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
/// <param name="Time">The twins' clock (processing time).</param>
/// <param name="Analytics">The analytics engine and its rules.</param>
/// <param name="Publisher">Publishes alerts and closed windows.</param>
/// <param name="DesiredPublisher">Publishes desired-state changes.</param>
/// <param name="AuditPublisher">Publishes the audit trail.</param>
/// <param name="CommandPublisher">Publishes commands to devices.</param>
/// <param name="Metrics">The twins' metrics.</param>
/// <param name="FleetIndex">Reports device summaries to the fleet index.</param>
/// <param name="History">Retained windows and cleared alerts.</param>
/// <param name="TickGate">Bounds how many twins run their timed work at once.</param>
/// <param name="Timers">The silo's one timer heap for twins.</param>
/// <param name="AlertIndex">Reports alerts to the alert index.</param>
/// <param name="WakeIndex">The durable wake index.</param>
public sealed record TwinServices(
    [FromKeyedServices(TwinClock.Key)] TimeProvider Time,
    DeviceAnalytics Analytics,
    IAnalyticsPublisher Publisher,
    IDesiredStatePublisher DesiredPublisher,
    IAuditPublisher AuditPublisher,
    ICommandPublisher CommandPublisher,
    TwinMetrics Metrics,
    IDeviceIndexReporter FleetIndex,
    ITwinHistoryStore History,
    TwinTickGate TickGate,
    TwinTimerQueue Timers,
    AlertIndexReporter AlertIndex,
    ITwinWakeIndex WakeIndex);
