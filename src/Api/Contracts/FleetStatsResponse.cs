namespace DeviceTwins.Api.Contracts;

/// <summary>
/// The fleet at a glance: devices by status (the caller's tenant's, for a caller of one tenant) and, for a caller of
/// every tenant, the platform's telemetry intake (records applied per second, consumer lag, silos reporting).
/// </summary>
public sealed record FleetStatsResponse(
    int Devices,
    int Online,
    int Offline,
    int Alerting,
    int ActiveAlerts,
    DateTimeOffset? AsOf,
    string Staleness,
    double? RecordsPerSecond,
    long? ConsumerLag,
    int? Silos);
