using System.Text.Json.Nodes;
using DeviceTwins.Analytics;
using DeviceTwins.Grains.Analytics;
using DeviceTwins.Grains.Interfaces;
using DeviceTwins.Grains.Interfaces.Models;
using DeviceTwins.Grains.Twin;
using Microsoft.Extensions.Logging;

namespace DeviceTwins.Grains;

/// <summary>
/// Desired properties and conditional writes of the twin. A desired change is stored together with its entry in the
/// outbox of desired changes, then published on the desired-state topic (retried by the twin's timer like every output).
/// </summary>
public sealed partial class DeviceTwinGrain
{
    /// <summary>Desired changes a twin holds unpublished before it refuses new ones.</summary>
    public const int MaxDesiredOutbox = 100;

    private TwinDocuments Documents => twin.State.Documents;

    private int PendingDesiredCount => Documents.PendingDesired?.Count ?? 0;

    private bool HasPendingOutputs => Analytics.HasPending || PendingDesiredCount > 0 || PendingAuditCount > 0 || PendingCommandEvents > 0;

    public async Task<TwinWriteResult> PatchDesiredAsync(string patch, VersionPrecondition? condition, int maxDocumentBytes, Caller caller)
    {
        ArgumentNullException.ThrowIfNull(patch);
        ArgumentNullException.ThrowIfNull(caller);
        await ReloadIfStaleAsync();
        var state = twin.State;
        if (state.Exists && !caller.Sees(state.Tags))
        {
            return new TwinWriteResult(TwinWriteStatus.NotFound, null, 0);
        }

        if (condition is not null && !condition.IsMetBy(state.Exists, state.Version))
        {
            return new TwinWriteResult(TwinWriteStatus.PreconditionFailed, null, state.Version);
        }

        if (!await HasRoomForApiWriteAsync())
        {
            return new TwinWriteResult(TwinWriteStatus.Busy, null, state.Version);
        }

        if (JsonNode.Parse(patch) is not JsonObject members)
        {
            throw new ArgumentException("A desired patch must be a JSON object.", nameof(patch));
        }

        var now = services.Time.GetUtcNow();
        var before = state.Version;
        var outcome = TwinProperties.PatchDesired(Documents, members, now, maxDocumentBytes);
        if (outcome == DesiredPatchOutcome.TooLarge)
        {
            return new TwinWriteResult(TwinWriteStatus.TooLarge, null, state.Version);
        }

        if (outcome == DesiredPatchOutcome.Changed)
        {
            // A twin created by its desired state (a device configured before it first reports) stays in memory only as
            // long as its write succeeds; created by a caller of one tenant, it belongs to that tenant.
            if (!state.Exists && caller.Tenant is { } tenant)
            {
                state.Tags = new Dictionary<string, string>(StringComparer.Ordinal) { [Tenants.TagKey] = tenant };
                _rules = null;
            }

            state.Version++;
            state.UpdatedAt = now;
            (Documents.PendingDesired ??= []).Add(new DesiredChange(DeviceId, state.Version, Documents.Desired, TwinProperties.Delta(Documents), now));
        }

        if (state.Exists)
        {
            // Stored with the change, or alone for a patch that changed nothing: every write through the API is audited.
            Audit(caller, AuditActions.DesiredPatch, null, before, patch);
            await WriteAsync(0, first: true);
            Outbox.Kick();
            Arm();
        }

        return new TwinWriteResult(TwinWriteStatus.Written, TwinUpdater.Snapshot(DeviceId, state), state.Version);
    }

    public async Task<TwinWriteResult> ReplaceTagsAsync(IReadOnlyDictionary<string, string> tags, VersionPrecondition? condition, Caller caller)
    {
        ArgumentNullException.ThrowIfNull(tags);
        ArgumentNullException.ThrowIfNull(caller);
        await ReloadIfStaleAsync();
        if (IsHiddenFrom(caller))
        {
            return new TwinWriteResult(TwinWriteStatus.NotFound, null, 0);
        }

        var state = twin.State;
        if (condition is not null && !condition.IsMetBy(true, state.Version))
        {
            return new TwinWriteResult(TwinWriteStatus.PreconditionFailed, null, state.Version);
        }

        // The tenant tag is kept when left out; only a caller that may assign tenants changes it.
        var current = Tenant;
        var requested = Tenants.Of(tags);
        if (requested is null && current is not null)
        {
            tags = new Dictionary<string, string>(tags, StringComparer.Ordinal) { [Tenants.TagKey] = current };
        }
        else if (!string.Equals(requested, current, StringComparison.Ordinal) && !caller.MayAssignTenant)
        {
            return new TwinWriteResult(TwinWriteStatus.TenantChangeRefused, null, state.Version);
        }

        if (!await HasRoomForApiWriteAsync())
        {
            return new TwinWriteResult(TwinWriteStatus.Busy, null, state.Version);
        }

        var before = state.Version;
        ApplyTags(tags);
        Audit(caller, AuditActions.TagsReplace, null, before, TagsJson(tags));
        await WriteAsync(0, first: true);
        Outbox.Kick();
        Arm();
        if (requested is not null && caller.MayAssignTenant)
        {
            // The alert index answers per tenant: the device's alerts, active and cleared, move with it (again on a
            // retry of the same tags).
            var alerts = DeviceAnalytics.AlertsOf(Analytics, (await ReadHistoryAsync()).Alerts);
            if (alerts.Count > 0)
            {
                await services.AlertIndex.ReportAsync(DeviceId, [.. alerts.Select(a => AnalyticsMapping.ToInfo(a, requested))]);
            }
        }

        return new TwinWriteResult(TwinWriteStatus.Written, TwinUpdater.Snapshot(DeviceId, state), state.Version);
    }

    // Waits for the outbox when the desired changes or audit records it holds reach their bound; false if still full.
    private async Task<bool> HasRoomForApiWriteAsync()
    {
        if (PendingDesiredCount < MaxDesiredOutbox && PendingAuditCount < MaxAuditOutbox)
        {
            return true;
        }

        Outbox.Kick();
        await Outbox.Idle;
        return PendingDesiredCount < MaxDesiredOutbox && PendingAuditCount < MaxAuditOutbox;
    }

    private static string TagsJson(IReadOnlyDictionary<string, string> tags) =>
        System.Text.Json.JsonSerializer.Serialize(tags.OrderBy(t => t.Key, StringComparer.Ordinal).ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal));
}
