namespace DeviceTwins.Api.Contracts;

/// <summary>The data of a fleet query stream's <c>removed</c> event: the device that no longer matches.</summary>
public sealed record FleetRemovedResponse(string DeviceId);
