using DeviceTwins.Grains.Interfaces.Commands;
using DeviceTwins.Grains.Interfaces.Credentials;
using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Grains.Interfaces;

/// <summary>The live twin of one device, keyed by device id and fed by its telemetry stream.</summary>
[Alias("dt.IDeviceTwinGrain")]
public interface IDeviceTwinGrain : IGrainWithStringKey
{
    /// <summary>The twin, or null when no record of this device was ever applied.</summary>
    [Alias("GetSnapshot")]
    Task<TwinSnapshot?> GetSnapshotAsync();

    /// <summary>
    /// The twin as last stored, answered at once, even while the twin is in a turn (publishing its outbox, say): it
    /// interleaves and only reads. Null when it cannot answer so (a device never seen, a change not yet stored, a failed
    /// write to reload): then <see cref="GetSnapshotAsync"/> answers, in turn. Never a change that is not durable.
    /// </summary>
    [Alias("PeekStoredSnapshot")]
    [Orleans.Concurrency.AlwaysInterleave]
    Task<TwinSnapshot?> PeekStoredSnapshotAsync();

    /// <summary>
    /// The device's active alerts and its latest cleared ones, newest first; null for an unknown device or one of a
    /// tenant <paramref name="caller"/> does not see.
    /// </summary>
    [Alias("GetAlerts")]
    Task<IReadOnlyList<AlertInfo>?> GetAlertsAsync(Caller caller);

    /// <summary>Acknowledges one of the device's active alerts (NotFound for a device <paramref name="caller"/> does not see); audited.</summary>
    [Alias("Acknowledge")]
    Task<AcknowledgeResult> AcknowledgeAsync(string alertId, Caller caller);

    /// <summary>
    /// The retained closed windows, optionally of one metric and overlapping [from, to); null for an unknown device or one
    /// <paramref name="caller"/> does not see.
    /// </summary>
    [Alias("GetAggregates")]
    Task<IReadOnlyList<AggregateInfo>?> GetAggregatesAsync(string? metric, DateTimeOffset? from, DateTimeOffset? to, Caller caller);

    /// <summary>
    /// The rules in force for the device and, per rule, the metrics seen so far that it watches. A caller of one tenant
    /// gets null unless the device exists in its tenant; a caller of every tenant gets the rules even of an unknown device.
    /// </summary>
    [Alias("GetRules")]
    Task<IReadOnlyList<RuleInfo>?> GetRulesAsync(Caller caller);

    /// <summary>Replaces the device's tags (key/value labels used by rule selection); null for an unknown device.</summary>
    [Alias("SetTags")]
    Task<TwinSnapshot?> SetTagsAsync(IReadOnlyDictionary<string, string> tags);

    /// <summary>
    /// Applies a JSON merge patch (RFC 7396, an object) to the desired document when <paramref name="condition"/> holds,
    /// creating the twin when it does not exist (in the tenant of <paramref name="caller"/>, if it has one); the change is
    /// published on the desired-state topic and audited after it is stored. NotFound for a device the caller does not see.
    /// </summary>
    [Alias("PatchDesired")]
    Task<TwinWriteResult> PatchDesiredAsync(string patch, VersionPrecondition? condition, int maxDocumentBytes, Caller caller);

    /// <summary>
    /// Replaces the device's tags when <paramref name="condition"/> holds (null: always), audited. The reserved tenant tag
    /// is kept when the tags leave it out; changing it needs <see cref="Caller.MayAssignTenant"/>.
    /// </summary>
    [Alias("ReplaceTags")]
    Task<TwinWriteResult> ReplaceTagsAsync(IReadOnlyDictionary<string, string> tags, VersionPrecondition? condition, Caller caller);

    /// <summary>
    /// Queues a command for the device (created with its twin when the device was not seen yet, in the caller's tenant),
    /// audited; with an idempotency key already used, answers the command it created.
    /// </summary>
    [Alias("SubmitCommand")]
    Task<CommandSubmitResult> SubmitCommandAsync(CommandRequest request, Caller caller);

    /// <summary>Cancels a command that is still queued, audited.</summary>
    [Alias("CancelCommand")]
    Task<CommandCancelResult> CancelCommandAsync(string commandId, Caller caller);

    /// <summary>The device's unfinished commands (oldest first) then its latest ended ones (newest first); null for a device the caller does not see.</summary>
    [Alias("GetCommands")]
    Task<IReadOnlyList<CommandInfo>?> GetCommandsAsync(Caller caller);

    /// <summary>
    /// Stores a new credential of the device (its secret's hash), audited; creates the twin of a device not seen yet, in
    /// the caller's tenant. Null for a device the caller does not see or one holding <see cref="DeviceSecrets.MaxPerDevice"/> already.
    /// </summary>
    [Alias("IssueCredential")]
    Task<DeviceCredential?> IssueCredentialAsync(string credentialId, string secretHash, Caller caller);

    /// <summary>Revokes one of the device's credentials, audited; false when it has no such credential (for this caller).</summary>
    [Alias("RevokeCredential")]
    Task<bool> RevokeCredentialAsync(string credentialId, Caller caller);

    /// <summary>The device's credentials (ids, when and by whom issued; never the hash); null for a device the caller does not see.</summary>
    [Alias("GetCredentials")]
    Task<IReadOnlyList<DeviceCredential>?> GetCredentialsAsync(Caller caller);

    /// <summary>Whether <paramref name="secretHash"/> is the hash of one of the device's credentials (the MQTT bridge asks on connect).</summary>
    [Alias("VerifyCredential")]
    Task<bool> VerifyCredentialAsync(string secretHash);

    /// <summary>Runs the analytics work that is due on processing time: quiet windows, heartbeats, held alerts, unpublished outputs.</summary>
    [Alias("Tick")]
    Task TickAsync();

    /// <summary>
    /// Does the work that is due, like <see cref="TickAsync"/>, when the durable wake index finds it overdue (the twin's
    /// own timer is gone or its tick was lost), and stores the twin's next wake instant.
    /// </summary>
    [Alias("Wake")]
    Task WakeAsync();
}
