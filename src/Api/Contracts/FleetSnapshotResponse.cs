namespace DeviceTwins.Api.Contracts;

/// <summary>
/// The first event of a fleet query stream: the devices matching now, by id (at most the stream's limit; <c>truncated</c>
/// when more match), with the index's freshness as in <see cref="FleetPageResponse"/>.
/// </summary>
public sealed record FleetSnapshotResponse(IReadOnlyList<FleetDeviceResponse> Items, DateTimeOffset? AsOf, string Staleness, bool Truncated);
