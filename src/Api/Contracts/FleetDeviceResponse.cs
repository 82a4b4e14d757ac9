namespace DeviceTwins.Api.Contracts;

/// <summary>A device in a fleet query: its index summary and status (online, offline or alerting).</summary>
public sealed record FleetDeviceResponse(
    string DeviceId,
    string Status,
    DateTimeOffset LastSeen,
    long Version,
    int ActiveAlerts,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyDictionary<string, double> Metrics);
