using System.Text.Json.Nodes;
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

    private bool HasPendingOutputs => Analytics.HasPending || Documents.PendingDesired.Count > 0;

    public async Task<TwinWriteResult> PatchDesiredAsync(string patch, VersionPrecondition? condition, int maxDocumentBytes)
    {
        ArgumentNullException.ThrowIfNull(patch);
        await ReloadIfStaleAsync();
        var state = twin.State;
        if (condition is not null && !condition.IsMetBy(state.Exists, state.Version))
        {
            return new TwinWriteResult(TwinWriteStatus.PreconditionFailed, null, state.Version);
        }

        if (Documents.PendingDesired.Count >= MaxDesiredOutbox)
        {
            Outbox.Kick();
            await Outbox.Idle;
            if (Documents.PendingDesired.Count >= MaxDesiredOutbox)
            {
                return new TwinWriteResult(TwinWriteStatus.Busy, null, state.Version);
            }
        }

        if (JsonNode.Parse(patch) is not JsonObject members)
        {
            throw new ArgumentException("A desired patch must be a JSON object.", nameof(patch));
        }

        var now = time.GetUtcNow();
        switch (TwinProperties.PatchDesired(Documents, members, now, maxDocumentBytes))
        {
            case DesiredPatchOutcome.TooLarge:
                return new TwinWriteResult(TwinWriteStatus.TooLarge, null, state.Version);
            case DesiredPatchOutcome.Changed:
                // A twin created by its desired state (a device configured before it first reports) stays in memory
                // only as long as its write succeeds.
                state.Version++;
                state.UpdatedAt = now;
                Documents.PendingDesired.Add(new DesiredChange(DeviceId, state.Version, Documents.Desired, TwinProperties.Delta(Documents), now));
                await WriteAsync(0);
                Outbox.Kick();
                Arm();
                break;
        }

        return new TwinWriteResult(TwinWriteStatus.Written, TwinUpdater.Snapshot(DeviceId, state), state.Version);
    }

    public async Task<TwinWriteResult> ReplaceTagsAsync(IReadOnlyDictionary<string, string> tags, VersionPrecondition? condition)
    {
        ArgumentNullException.ThrowIfNull(tags);
        await ReloadIfStaleAsync();
        if (IsUnknown())
        {
            return new TwinWriteResult(TwinWriteStatus.NotFound, null, 0);
        }

        if (condition is not null && !condition.IsMetBy(true, twin.State.Version))
        {
            return new TwinWriteResult(TwinWriteStatus.PreconditionFailed, null, twin.State.Version);
        }

        var snapshot = await SetTagsAsync(tags);
        return new TwinWriteResult(TwinWriteStatus.Written, snapshot, twin.State.Version);
    }
}
