using System.Text.Json;
using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Api.Contracts;

/// <summary>Maps grain snapshots to REST contracts.</summary>
public static class DeviceTwinMapper
{
    /// <summary>The REST view of a twin snapshot.</summary>
    public static DeviceTwinResponse ToResponse(this TwinSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var props = new Dictionary<string, JsonElement>(snapshot.Props.Count, StringComparer.Ordinal);
        foreach (var (name, reading) in snapshot.Props)
        {
            using var document = JsonDocument.Parse(reading.Json);
            props[name] = document.RootElement.Clone();
        }

        var metrics = snapshot.Metrics.ToDictionary(m => m.Key, m => new MetricValueResponse(m.Value.Value, m.Value.Timestamp), StringComparer.Ordinal);
        return new DeviceTwinResponse(snapshot.DeviceId, snapshot.Version, snapshot.MessageCount, snapshot.FirstSeen, snapshot.LastSeen, snapshot.UpdatedAt, props, metrics, snapshot.Tags);
    }
}
