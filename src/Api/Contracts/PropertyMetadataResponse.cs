namespace DeviceTwins.Api.Contracts;

/// <summary>When and by whom a twin property was last written; topic, partition and offset for device updates.</summary>
public sealed record PropertyMetadataResponse(DateTimeOffset LastUpdated, string Source, string? Topic, int? Partition, long? Offset);
