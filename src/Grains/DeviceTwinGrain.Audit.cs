using DeviceTwins.Grains.Interfaces;
using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Grains;

/// <summary>
/// Tenancy and the audit trail of the twin. A device's tenant is its reserved tenant tag; a caller of another tenant
/// is answered as if the device did not exist. Every write through the API leaves an audit record in the twin's outbox,
/// stored in the same write as the change and published on the audit topic after it, like every other output.
/// </summary>
public sealed partial class DeviceTwinGrain
{
    /// <summary>Audit records a twin holds unpublished before it refuses API writes (Busy), like its desired changes.</summary>
    public const int MaxAuditOutbox = 100;

    // The device's tenant, or null for a device of none.
    private string? Tenant => Tenants.Of(twin.State.Tags);

    private int PendingAuditCount => Documents.PendingAudit?.Count ?? 0;

    // Unknown, or of a tenant the caller is not confined to: either way the caller is told the device does not exist.
    private bool IsHiddenFrom(Caller caller) => IsUnknown() || !caller.Sees(twin.State.Tags);

    // Records an API write of the current version in the outbox; the write that follows stores it with the change.
    private void Audit(Caller caller, string action, string? target, long versionBefore, string detail)
    {
        var pending = Documents.PendingAudit ??= [];
        pending.Add(new AuditRecord(
            Guid.NewGuid().ToString("N"),
            services.Time.GetUtcNow(),
            caller.Name,
            caller.Tenant,
            action,
            DeviceId,
            Tenant,
            target,
            versionBefore,
            twin.State.Version,
            detail));
    }
}
