using System.Text.Json;

namespace DeviceTwins.FaultCampaign.Checks;

/// <summary>
/// Reads the alerts topic and compares it with the overload episodes the workload injected: one alert id per
/// overloaded device, raised and cleared, and none for any other device.
/// </summary>
internal static class AlertCheck
{
    public static async Task<(int DuplicateIds, int Missing, int Republished, int Records)> RunAsync(string bootstrapServers, ISet<string> overloaded, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var records = await TopicReader.ReadAllAsync(bootstrapServers, "iot.alerts", TimeSpan.FromSeconds(60)).ConfigureAwait(false);
            var alerts = records
                .Select(r => JsonDocument.Parse(r.Message.Value).RootElement)
                .Where(a => a.GetProperty("rule").GetString() == "overload")
                .Select(a => (Device: a.GetProperty("deviceId").GetString()!, Id: a.GetProperty("id").GetString()!, State: a.GetProperty("state").GetString()!, Raw: a.GetRawText()))
                .ToList();
            var byDevice = alerts.GroupBy(a => a.Device).ToDictionary(g => g.Key, g => g.ToList());
            var missing = overloaded.Count(d => !byDevice.TryGetValue(d, out var list)
                || !list.Any(a => a.State == "raised") || !list.Any(a => a.State == "cleared"));
            if (missing > 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(500).ConfigureAwait(false);
                continue;
            }

            var duplicateIds = byDevice.Sum(d => overloaded.Contains(d.Key) ? d.Value.Select(a => a.Id).Distinct().Count() - 1 : d.Value.Select(a => a.Id).Distinct().Count());
            // The same alert change published more than once: same id and state. Different content would be a second, different alert.
            var republished = alerts.GroupBy(a => (a.Id, a.State)).Sum(g => g.Count() - 1);
            var conflicting = alerts.GroupBy(a => (a.Id, a.State)).Count(g => g.Select(a => a.Raw).Distinct().Count() > 1);
            return (duplicateIds + conflicting, missing, republished, alerts.Count);
        }
    }
}
