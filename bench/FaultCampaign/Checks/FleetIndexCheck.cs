using System.Net.Http.Json;
using System.Text.Json;
using DeviceTwins.FaultCampaign.Platform;

namespace DeviceTwins.FaultCampaign.Checks;

/// <summary>
/// Compares the fleet index (GET /api/devices, every page) with the twins: each device listed once, with the version
/// its twin has. Waits until they agree or the timeout passes; answers the devices still wrong and how long it took.
/// </summary>
internal static class FleetIndexCheck
{
    public static async Task<(int Wrong, TimeSpan Took)> RunAsync(CampaignPlatform platform, IReadOnlyList<string> ids, long[] versions, TimeSpan timeout)
    {
        var started = DateTime.UtcNow;
        var wrong = ids.Count;
        while (true)
        {
            try
            {
                var indexed = await ReadAllAsync(platform.Api(0)).ConfigureAwait(false);
                wrong = ids.Where((id, i) => versions[i] > 0 && (!indexed.TryGetValue(id, out var version) || version != versions[i])).Count()
                    + indexed.Keys.Count(id => !ids.Contains(id));
            }
            catch (HttpRequestException)
            {
                // A silo restarting: try again.
            }

            if (wrong == 0 || DateTime.UtcNow - started > timeout)
            {
                return (wrong, DateTime.UtcNow - started);
            }

            await Task.Delay(500).ConfigureAwait(false);
        }
    }

    private static async Task<Dictionary<string, long>> ReadAllAsync(HttpClient api)
    {
        var indexed = new Dictionary<string, long>(StringComparer.Ordinal);
        var url = "/api/devices?limit=1000";
        while (true)
        {
            var page = await api.GetFromJsonAsync<JsonElement>(new Uri(url, UriKind.Relative)).ConfigureAwait(false);
            foreach (var device in page.GetProperty("items").EnumerateArray())
            {
                indexed[device.GetProperty("deviceId").GetString()!] = device.GetProperty("version").GetInt64();
            }

            if (!page.TryGetProperty("next", out var next))
            {
                return indexed;
            }

            url = "/api/devices?limit=1000&cursor=" + Uri.EscapeDataString(next.GetString()!);
        }
    }
}
