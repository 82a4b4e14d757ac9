using System.Text.Json;

namespace DeviceTwins.FaultCampaign.Checks;

/// <summary>
/// Reads the aggregates topic for the given devices: every record of each device must be in exactly one closed
/// one-minute window per metric (the windows of a metric, one per start, their counts summing to the device's records),
/// and every copy of a window (republished after a crash) must be identical. Longer windows close too late to wait for.
/// </summary>
internal static class WindowCheck
{
    public static async Task<(int Incomplete, int Conflicting)> RunAsync(string bootstrapServers, IReadOnlyDictionary<string, long> expected, IReadOnlyList<string> metrics, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var records = await TopicReader.ReadAllAsync(bootstrapServers, "iot.aggregates", TimeSpan.FromSeconds(60)).ConfigureAwait(false);
            var windows = records
                .Select(r => JsonDocument.Parse(r.Message.Value).RootElement)
                .Select(w => (Device: w.GetProperty("deviceId").GetString()!, Metric: w.GetProperty("metric").GetString()!, Start: w.GetProperty("start").GetString()!, Size: w.GetProperty("windowSeconds").GetInt64(), Count: w.GetProperty("count").GetInt64(), Raw: w.GetRawText()))
                .Where(w => expected.ContainsKey(w.Device) && w.Size == 60)
                .ToList();
            var copies = windows.GroupBy(w => (w.Device, w.Metric, w.Start, w.Size)).ToList();
            var conflicting = copies.Count(g => g.Select(w => w.Raw).Distinct().Count() > 1);
            var covered = copies.GroupBy(g => (g.Key.Device, g.Key.Metric, g.Key.Size)).ToDictionary(g => g.Key, g => g.Sum(w => w.First().Count));
            var incomplete = expected.Count(device => metrics.Any(m => covered.GetValueOrDefault((device.Key, m, 60L)) != device.Value));
            if (incomplete == 0 || DateTime.UtcNow > deadline)
            {
                return (incomplete, conflicting);
            }

            await Task.Delay(500).ConfigureAwait(false);
        }
    }
}
