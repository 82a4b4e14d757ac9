using System.Diagnostics;
using DeviceTwins.Analytics;
using DeviceTwins.Analytics.Alerts;
using DeviceTwins.Analytics.Windows;
using DeviceTwins.Grains.Interfaces.Commands;
using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Grains.Twin;

/// <summary>
/// The durable head of a twin's outbox taken for one publication: the first <see cref="Alerts"/>, <see cref="Windows"/>,
/// <see cref="Desired"/>, <see cref="Audit"/> and <see cref="Commands"/> items of the lists of <see cref="Owner"/> and <see cref="Documents"/>, which
/// leave them once published; the alerts go out marked with the device's <see cref="Tenant"/>.
/// </summary>
public sealed record OutboxBatch(
    DeviceAnalyticsState Owner,
    TwinDocuments Documents,
    IReadOnlyList<Alert> Alerts,
    IReadOnlyList<WindowAggregate> Windows,
    IReadOnlyList<DesiredChange> Desired,
    IReadOnlyList<AuditRecord> Audit,
    string? Tenant)
{
    /// <summary>The traced turn that made the newest of these outputs, whose trace the publication continues; default when none.</summary>
    public ActivityContext Trace { get; init; }

    /// <summary>The first command events of the twin's commands outbox.</summary>
    public IReadOnlyList<CommandInfo> Commands { get; init; } = [];
}
