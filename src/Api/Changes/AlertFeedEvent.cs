namespace DeviceTwins.Api.Changes;

/// <summary>
/// One record of the alerts topic as every alert stream sends it: its position and its event's data lines, rendered
/// once for all streams; null data for a record that is not an alert (passed over, its position still advanced). The
/// device's tenant decides which streams of one tenant see it.
/// </summary>
public sealed record AlertFeedEvent(int Partition, long Offset, string? DataLines, string? Tenant = null);
