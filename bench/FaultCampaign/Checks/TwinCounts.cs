using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DeviceTwins.FaultCampaign.Platform;

namespace DeviceTwins.FaultCampaign.Checks;

/// <summary>Each device's applied record count (messageCount) and version, read over HTTP from the live silos' APIs.</summary>
internal static class TwinCounts
{
    /// <summary>Counts and versions by device; -1 where the twin could not be read after retries.</summary>
    public static async Task<(long[] Counts, long[] Versions)> ReadAsync(CampaignPlatform platform, IReadOnlyList<string> ids)
    {
        var counts = new long[ids.Count];
        var versions = new long[ids.Count];
        await Parallel.ForAsync(0, ids.Count, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, cancellation) =>
        {
            counts[i] = -1;
            for (var attempt = 0; attempt < 5 && counts[i] < 0; attempt++)
            {
                try
                {
                    using var response = await platform.Api(i + attempt).GetAsync(new Uri("/api/devices/" + ids[i], UriKind.Relative), cancellation).ConfigureAwait(false);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        var twin = await response.Content.ReadFromJsonAsync<JsonElement>(cancellation).ConfigureAwait(false);
                        counts[i] = twin.GetProperty("messageCount").GetInt64();
                        versions[i] = twin.GetProperty("version").GetInt64();
                    }
                    else if (response.StatusCode == HttpStatusCode.NotFound)
                    {
                        counts[i] = 0;
                    }
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(200, cancellation).ConfigureAwait(false);
                }
            }
        }).ConfigureAwait(false);
        return (counts, versions);
    }
}
