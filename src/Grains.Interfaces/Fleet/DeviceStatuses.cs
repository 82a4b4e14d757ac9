using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Grains.Interfaces.Fleet;

/// <summary>Derives a device's status from its summary at a given time.</summary>
public static class DeviceStatuses
{
    /// <summary>
    /// Offline when the device has an active <c>offline</c> alert or its latest event time is more than
    /// <paramref name="offlineAfter"/> before <paramref name="now"/>; otherwise alerting with any active alert; otherwise online.
    /// </summary>
    public static DeviceStatus Of(DeviceSummary device, DateTimeOffset now, TimeSpan offlineAfter)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (device.OfflineAlert || now - device.LastSeen > offlineAfter)
        {
            return DeviceStatus.Offline;
        }

        return device.ActiveAlerts > 0 ? DeviceStatus.Alerting : DeviceStatus.Online;
    }
}
