namespace DeviceTwins.Grains.Interfaces.Models;

/// <summary>A device's status in fleet queries; offline takes precedence over alerting.</summary>
public enum DeviceStatus
{
    /// <summary>Seen recently and no active alert.</summary>
    Online,

    /// <summary>An active <c>offline</c> alert, or no record for longer than <c>DeviceIndex:OfflineAfter</c>.</summary>
    Offline,

    /// <summary>Not offline, with at least one active alert.</summary>
    Alerting,
}
