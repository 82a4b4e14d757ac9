namespace DeviceTwins.Grains.Interfaces.Models;

/// <summary>The platform's telemetry intake: records applied per second and consumer lag, summed over the silos reporting.</summary>
[GenerateSerializer, Immutable, Alias("dt.ingest-stats")]
public sealed record IngestStats(
    [property: Id(0)] double RecordsPerSecond,
    [property: Id(1)] long ConsumerLag,
    [property: Id(2)] int Silos,
    [property: Id(3)] DateTimeOffset? AsOf);
