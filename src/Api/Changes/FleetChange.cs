using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Api.Changes;

/// <summary>One change of a fleet query's result: the device as it is now, or only its id when it was removed.</summary>
public sealed record FleetChange(FleetChangeKind Kind, string DeviceId, FleetDevice? Device);
