using DeviceTwins.Grains.Interfaces;
using DeviceTwins.Grains.Interfaces.Credentials;
using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Grains;

/// <summary>
/// The device's credentials for the MQTT bridge, held by its twin: issued and revoked over the API (audited, stored
/// with the twin), verified by the bridge when the device connects. Only the secret's hash is ever stored.
/// </summary>
public sealed partial class DeviceTwinGrain
{
    public async Task<DeviceCredential?> IssueCredentialAsync(string credentialId, string secretHash, Caller caller)
    {
        ArgumentNullException.ThrowIfNull(credentialId);
        ArgumentNullException.ThrowIfNull(secretHash);
        ArgumentNullException.ThrowIfNull(caller);
        await ReloadIfStaleAsync();
        var state = twin.State;
        if ((state.Exists && !caller.Sees(state.Tags)) || state.Credentials?.Count >= DeviceSecrets.MaxPerDevice || !await HasRoomForApiWriteAsync())
        {
            return null;
        }

        var now = services.Time.GetUtcNow();
        var before = state.Version;
        if (!state.Exists && caller.Tenant is { } tenant)
        {
            state.Tags = new Dictionary<string, string>(StringComparer.Ordinal) { [Tenants.TagKey] = tenant };
            _rules = null;
        }

        var credential = new DeviceCredential(credentialId, secretHash, now, caller.Name);
        (state.Credentials ??= []).Add(credential);
        state.Version++;
        state.UpdatedAt = now;
        Audit(caller, AuditActions.CredentialIssue, credentialId, before, $$"""{"id":"{{credentialId}}"}""");
        await WriteAsync(0, first: true);
        Outbox.Kick();
        Arm();
        return credential with { SecretHash = string.Empty };
    }

    public async Task<bool> RevokeCredentialAsync(string credentialId, Caller caller)
    {
        ArgumentNullException.ThrowIfNull(credentialId);
        ArgumentNullException.ThrowIfNull(caller);
        await ReloadIfStaleAsync();
        var state = twin.State;
        if (IsHiddenFrom(caller) || state.Credentials?.FindIndex(c => string.Equals(c.Id, credentialId, StringComparison.Ordinal)) is not (>= 0 and var index))
        {
            return false;
        }

        // No room check: a revocation is never refused, even with the audit outbox full.
        var before = state.Version;
        state.Credentials.RemoveAt(index);
        if (state.Credentials.Count == 0)
        {
            state.Credentials = null;
        }

        state.Version++;
        state.UpdatedAt = services.Time.GetUtcNow();
        Audit(caller, AuditActions.CredentialRevoke, credentialId, before, $$"""{"id":"{{credentialId}}"}""");
        await WriteAsync(0, first: true);
        Outbox.Kick();
        Arm();
        return true;
    }

    public async Task<IReadOnlyList<DeviceCredential>?> GetCredentialsAsync(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        await ReloadIfStaleAsync();
        return IsHiddenFrom(caller) ? null : [.. (twin.State.Credentials ?? []).Select(c => c with { SecretHash = string.Empty })];
    }

    public async Task<bool> VerifyCredentialAsync(string secretHash)
    {
        ArgumentNullException.ThrowIfNull(secretHash);
        await ReloadIfStaleAsync();
        var matched = false;
        foreach (var credential in twin.State.Credentials ?? [])
        {
            // Every credential is compared, in constant time, so the answer's timing says nothing.
            matched |= DeviceSecrets.HashesEqual(credential.SecretHash, secretHash);
        }

        return matched;
    }
}
