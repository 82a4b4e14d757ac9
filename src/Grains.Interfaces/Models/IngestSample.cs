namespace DeviceTwins.Grains.Interfaces.Models;

/// <summary>
/// What one silo's telemetry intake has done so far: records applied to its twins since it started, and the records its
/// Kafka partitions hold that are not yet applied and committed (consumer lag), sampled at <see cref="At"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("dt.ingest-sample")]
public sealed record IngestSample(
    [property: Id(0)] string Silo,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] long RecordsApplied,
    [property: Id(3)] long ConsumerLag);
