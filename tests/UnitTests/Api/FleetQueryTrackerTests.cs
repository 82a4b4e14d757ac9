using DeviceTwins.Api.Changes;
using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.UnitTests.Api;

public sealed class FleetQueryTrackerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Update_First_EveryDeviceAddedInIdOrder()
    {
        var tracker = new FleetQueryTracker();

        var changes = tracker.Update([Device("b", 1), Device("a", 3)]);

        Assert.Equal([(FleetChangeKind.Added, "a", 3L), (FleetChangeKind.Added, "b", 1L)], Describe(changes));
        Assert.Equal(2, tracker.Count);
    }

    [Fact]
    public void Update_Same_NoChange()
    {
        var tracker = new FleetQueryTracker();
        tracker.Update([Device("a", 1), Device("b", 1)]);

        Assert.Empty(tracker.Update([Device("a", 1), Device("b", 1)]));
    }

    [Fact]
    public void Update_NewVersion_StatusOnly_EnteredAndLeft_EachOnceByDeviceId()
    {
        var tracker = new FleetQueryTracker();
        tracker.Update([Device("a", 1), Device("b", 1), Device("c", 1)]);

        // a: newer summary; b: offline by age, same version; c: left; d: entered.
        var changes = tracker.Update([Device("a", 2), Device("b", 1, DeviceStatus.Offline), Device("d", 7)]);

        Assert.Equal(
            [(FleetChangeKind.Changed, "a", 2L), (FleetChangeKind.Changed, "b", 1L), (FleetChangeKind.Removed, "c", -1L), (FleetChangeKind.Added, "d", 7L)],
            Describe(changes));
        Assert.Equal(DeviceStatus.Offline, changes[1].Device!.Status);
        Assert.Null(changes[2].Device);
        Assert.Equal(3, tracker.Count);
    }

    [Fact]
    public void Update_Empty_RemovesAll_ThenReentryIsAdded()
    {
        var tracker = new FleetQueryTracker();
        tracker.Update([Device("a", 1)]);

        Assert.Equal([(FleetChangeKind.Removed, "a", -1L)], Describe(tracker.Update([])));
        Assert.Equal(0, tracker.Count);
        Assert.Equal([(FleetChangeKind.Added, "a", 1L)], Describe(tracker.Update([Device("a", 1)])));
    }

    [Fact]
    public void Update_DuplicateDevice_Throws()
    {
        var tracker = new FleetQueryTracker();

        Assert.Throws<ArgumentException>(() => tracker.Update([Device("a", 1), Device("a", 2)]));
    }

    private static (FleetChangeKind, string, long)[] Describe(IReadOnlyList<FleetChange> changes) =>
        [.. changes.Select(c => (c.Kind, c.DeviceId, c.Device?.Summary.Version ?? -1))];

    private static FleetDevice Device(string id, long version, DeviceStatus status = DeviceStatus.Online) =>
        new(new DeviceSummary(id, version, T0, new Dictionary<string, string>(), new Dictionary<string, double>(), 0, false), status);
}
