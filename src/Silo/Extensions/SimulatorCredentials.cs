using DeviceTwins.Grains.Interfaces;
using DeviceTwins.Grains.Interfaces.Credentials;
using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Silo.Extensions;

/// <summary>Credentials of the co-hosted simulator's MQTT devices, issued by their twins (audited as the simulator).</summary>
public static class SimulatorCredentials
{
    /// <summary>The caller the simulator's credentials are issued and revoked as.</summary>
    public static Caller Caller { get; } = new("simulator", null, false);

    /// <summary>Revokes the credentials the simulator issued to <paramref name="deviceId"/> before, then issues one and returns its secret.</summary>
    public static async Task<string> IssueAsync(IGrainFactory grains, string deviceId)
    {
        ArgumentNullException.ThrowIfNull(grains);
        var twin = grains.GetGrainByKey<IDeviceTwinGrain>(deviceId);
        foreach (var earlier in await twin.GetCredentialsAsync(Caller) ?? [])
        {
            if (string.Equals(earlier.CreatedBy, Caller.Name, StringComparison.Ordinal))
            {
                await twin.RevokeCredentialAsync(earlier.Id, Caller);
            }
        }

        var secret = DeviceSecrets.Create();
        return await twin.IssueCredentialAsync(DeviceSecrets.NewId(), DeviceSecrets.Hash(secret), Caller) is null
            ? throw new InvalidOperationException($"Device {deviceId} holds {DeviceSecrets.MaxPerDevice} credentials issued by others; the simulator cannot add one.")
            : secret;
    }
}
