namespace DeviceTwins.Grains.Interfaces.Models;

/// <summary>
/// Where and when a property of a twin document was last written: by the device (event time, and the Kafka record it
/// came from) or over the REST API (processing time).
/// </summary>
[GenerateSerializer, Immutable, Alias("dt.property-metadata")]
public sealed record PropertyMetadata(
    [property: Id(0)] DateTimeOffset LastUpdated,
    [property: Id(1)] string Source,
    [property: Id(2)] string? Topic = null,
    [property: Id(3)] int? Partition = null,
    [property: Id(4)] long? Offset = null)
{
    /// <summary>Source of properties written from telemetry.</summary>
    public const string DeviceSource = "device";

    /// <summary>Source of properties written over the REST API.</summary>
    public const string RestSource = "rest";
}
