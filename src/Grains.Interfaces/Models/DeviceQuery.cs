namespace DeviceTwins.Grains.Interfaces.Models;

/// <summary>
/// A fleet query: every filter given must hold (AND). Last-seen bounds are exclusive: <see cref="LastSeenAfter"/> keeps
/// devices seen strictly after it, <see cref="LastSeenBefore"/> strictly before it. <see cref="Tenant"/> confines the query
/// to one tenant's devices (null: every device); the index answers it from that tenant's devices alone.
/// </summary>
[GenerateSerializer, Immutable, Alias("dt.device-query")]
public sealed record DeviceQuery(
    [property: Id(0)] IReadOnlyList<TagFilter> Tags,
    [property: Id(1)] DeviceStatus? Status,
    [property: Id(2)] DateTimeOffset? LastSeenAfter,
    [property: Id(3)] DateTimeOffset? LastSeenBefore,
    [property: Id(4)] IReadOnlyList<MetricFilter> Metrics,
    [property: Id(5)] string? Tenant = null)
{
    /// <summary>The query without filters: every device.</summary>
    public static DeviceQuery All { get; } = new([], null, null, null, []);
}
