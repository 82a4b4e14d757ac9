using System.Text.Json;
using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Api.Contracts;

/// <summary>Maps grain snapshots to REST contracts.</summary>
public static class DeviceTwinMapper
{
    /// <summary>The REST view of a twin snapshot; first and last seen are null until a record is applied.</summary>
    public static DeviceTwinResponse ToResponse(this TwinSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var props = new Dictionary<string, JsonElement>(snapshot.Props.Count, StringComparer.Ordinal);
        foreach (var (name, reading) in snapshot.Props)
        {
            props[name] = Element(reading.Json);
        }

        var metrics = snapshot.Metrics.ToDictionary(m => m.Key, m => new MetricValueResponse(m.Value.Value, m.Value.Timestamp), StringComparer.Ordinal);
        var seen = snapshot.MessageCount > 0;
        return new DeviceTwinResponse(
            snapshot.DeviceId,
            snapshot.Version,
            snapshot.MessageCount,
            seen ? snapshot.FirstSeen : null,
            seen ? snapshot.LastSeen : null,
            snapshot.UpdatedAt,
            props,
            metrics,
            snapshot.Tags,
            Element(snapshot.Reported),
            Element(snapshot.Desired),
            Element(snapshot.Delta),
            snapshot.Convergence,
            snapshot.PendingSince,
            new TwinMetadataResponse(Metadata(snapshot.ReportedMetadata), Metadata(snapshot.DesiredMetadata)));
    }

    private static JsonElement Element(string json) => JsonElement.Parse(json);

    private static SortedDictionary<string, PropertyMetadataResponse> Metadata(IReadOnlyDictionary<string, PropertyMetadata> metadata)
    {
        var byPath = new SortedDictionary<string, PropertyMetadataResponse>(StringComparer.Ordinal);
        foreach (var (path, meta) in metadata)
        {
            byPath[path] = new PropertyMetadataResponse(meta.LastUpdated, meta.Source, meta.Topic, meta.Partition, meta.Offset);
        }

        return byPath;
    }
}
