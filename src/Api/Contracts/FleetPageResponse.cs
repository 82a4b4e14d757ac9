namespace DeviceTwins.Api.Contracts;

/// <summary>
/// A page of a fleet query, by device id; <c>next</c> is the cursor of the following page (null on the last);
/// <c>asOf</c>: twin writes before it are reflected in every shard (null while unknown); <c>staleness</c>: the write-behind
/// interval (ISO-8601 duration) that bounds the delay in normal operation.
/// </summary>
public sealed record FleetPageResponse(IReadOnlyList<FleetDeviceResponse> Items, string? Next, DateTimeOffset? AsOf, string Staleness);
