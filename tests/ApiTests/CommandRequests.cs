using System.Text.Json;
using DeviceTwins.Testing;

namespace DeviceTwins.ApiTests;

/// <summary>Helpers of the command tests: a command's state, and waiting for one.</summary>
internal static class CommandRequests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>The state of a command as the API returns it.</summary>
    public static string StateOf(JsonElement command) => command.GetProperty("state").GetString()!;

    /// <summary>Waits until GET /api/devices/{id}/commands/{commandId} shows <paramref name="state"/>; returns the command.</summary>
    public static Task<JsonElement> WaitForCommandStateAsync(this HttpClient client, string id, string commandId, string state) =>
        Eventually.Until(
            async () => await client.GetJsonAsync($"/api/devices/{id}/commands/{commandId}"),
            c => StateOf(c) == state,
            Timeout,
            c => $"{commandId} {state}, got {c}");
}
