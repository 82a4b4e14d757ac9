using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Api.Contracts;

/// <summary>Maps fleet index records to response DTOs.</summary>
public static class FleetMapper
{
    /// <summary>The response form of a device found by a fleet query.</summary>
    public static FleetDeviceResponse ToResponse(this FleetDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var summary = device.Summary;
        return new FleetDeviceResponse(summary.DeviceId, StatusName(device.Status), summary.LastSeen, summary.Version, summary.ActiveAlerts, summary.Tags, summary.Metrics);
    }

    /// <summary>The name of a status in the API: online, offline or alerting.</summary>
    public static string StatusName(DeviceStatus status) => status switch
    {
        DeviceStatus.Offline => "offline",
        DeviceStatus.Alerting => "alerting",
        _ => "online",
    };
}
