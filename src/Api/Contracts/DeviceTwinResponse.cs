using System.Text.Json;

namespace DeviceTwins.Api.Contracts;

/// <summary>A device twin as served by GET /api/devices/{id} and returned by its writes.</summary>
public sealed record DeviceTwinResponse(
    string DeviceId,
    long Version,
    long MessageCount,
    DateTimeOffset? FirstSeen,
    DateTimeOffset? LastSeen,
    DateTimeOffset UpdatedAt,
    IReadOnlyDictionary<string, JsonElement> Props,
    IReadOnlyDictionary<string, MetricValueResponse> Metrics,
    IReadOnlyDictionary<string, string> Tags,
    JsonElement Reported,
    JsonElement Desired,
    JsonElement Delta,
    string Convergence,
    DateTimeOffset? PendingSince,
    TwinMetadataResponse Metadata);
