namespace DeviceTwins.Grains.Interfaces.Models;

/// <summary>
/// One write through the API as the audit topic records it: who made it, on which device of which tenant, what it was,
/// and the twin's version before and after. Stored with the write it describes and published from the twin's outbox.
/// </summary>
[GenerateSerializer, Immutable, Alias("dt.audit-record")]
public sealed record AuditRecord(
    [property: Id(0)] string Id,
    [property: Id(1)] DateTimeOffset Time,
    [property: Id(2)] string Actor,
    [property: Id(3)] string? ActorTenant,
    [property: Id(4)] string Action,
    [property: Id(5)] string DeviceId,
    [property: Id(6)] string? Tenant,
    [property: Id(7)] string? Target,
    [property: Id(8)] long VersionBefore,
    [property: Id(9)] long VersionAfter,
    [property: Id(10)] string Detail);
