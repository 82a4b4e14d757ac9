using System.Text.Json;

namespace DeviceTwins.FaultCampaign.Checks;

/// <summary>
/// Reads the alerts topic for the heartbeat rule ("offline"): every device expected silent must have exactly one offline
/// alert, raised and never cleared; a device that kept sending and was raised and cleared again was a false alarm.
/// </summary>
internal static class OfflineCheck
{
    public static async Task<(int Missing, int Duplicates, int FalseAlarms, TimeSpan? Latest)> RunAsync(string bootstrapServers, ISet<string> silent, DateTime? since, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var records = await TopicReader.ReadAllAsync(bootstrapServers, "iot.alerts", TimeSpan.FromSeconds(60)).ConfigureAwait(false);
            var alerts = records
                .Select(r => (Alert: JsonDocument.Parse(r.Message.Value).RootElement, At: r.Message.Timestamp.UtcDateTime))
                .Where(a => a.Alert.GetProperty("rule").GetString() == "offline")
                .Select(a => (Device: a.Alert.GetProperty("deviceId").GetString()!, Id: a.Alert.GetProperty("id").GetString()!, State: a.Alert.GetProperty("state").GetString()!, a.At))
                .ToList();
            var byDevice = alerts.GroupBy(a => a.Device).ToDictionary(g => g.Key, g => g.ToList());
            var missing = silent.Count(d => !byDevice.TryGetValue(d, out var list) || !list.Any(a => a.State == "raised"));
            if (missing > 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(500).ConfigureAwait(false);
                continue;
            }

            var duplicates = silent.Sum(d => byDevice.TryGetValue(d, out var list)
                ? Math.Max(0, list.Select(a => a.Id).Distinct().Count() - 1) + list.Count(a => a.State == "cleared")
                : 0);
            var falseAlarms = byDevice.Where(d => !silent.Contains(d.Key)).Sum(d => d.Value.Where(a => a.State == "cleared").Select(a => a.Id).Distinct().Count());
            TimeSpan? latest = since is { } from && silent.Count > 0 && missing == 0
                ? silent.Max(d => byDevice[d].Where(a => a.State == "raised").Min(a => a.At)) - from
                : null;
            return (missing, duplicates, falseAlarms, latest);
        }
    }
}
