using DeviceTwins.Grains.Interfaces.Fleet;
using DeviceTwins.Grains.Interfaces.Models;
using static DeviceTwins.UnitTests.Fleet.FleetSamples;

namespace DeviceTwins.UnitTests.Fleet;

public sealed class DeviceStatusesTests
{
    [Fact]
    public void RecentDevice_WithoutAlerts_IsOnline() =>
        Assert.Equal(DeviceStatus.Online, DeviceStatuses.Of(Device("a", lastSeen: Now.AddMinutes(-10)), Now, OfflineAfter));

    [Fact]
    public void DeviceSilentLongerThanTheThreshold_IsOffline() =>
        Assert.Equal(DeviceStatus.Offline, DeviceStatuses.Of(Device("a", lastSeen: Now.AddMinutes(-10).AddTicks(-1)), Now, OfflineAfter));

    [Fact]
    public void ActiveAlert_MakesARecentDeviceAlerting() =>
        Assert.Equal(DeviceStatus.Alerting, DeviceStatuses.Of(Device("a", activeAlerts: 2), Now, OfflineAfter));

    [Fact]
    public void ActiveOfflineAlert_MakesARecentDeviceOffline_BeforeAlerting() =>
        Assert.Equal(DeviceStatus.Offline, DeviceStatuses.Of(Device("a", activeAlerts: 1, offlineAlert: true), Now, OfflineAfter));

    [Fact]
    public void SilentDeviceWithAlerts_IsOffline() =>
        Assert.Equal(DeviceStatus.Offline, DeviceStatuses.Of(Device("a", lastSeen: Now.AddHours(-1), activeAlerts: 1), Now, OfflineAfter));

    [Fact]
    public void DeviceAheadOfTheClock_IsOnline() =>
        Assert.Equal(DeviceStatus.Online, DeviceStatuses.Of(Device("a", lastSeen: Now.AddMinutes(5)), Now, OfflineAfter));
}
