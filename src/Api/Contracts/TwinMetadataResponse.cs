namespace DeviceTwins.Api.Contracts;

/// <summary>Metadata of the reported and desired properties written, by JSON Pointer (e.g. "/config/interval").</summary>
public sealed record TwinMetadataResponse(
    IReadOnlyDictionary<string, PropertyMetadataResponse> Reported,
    IReadOnlyDictionary<string, PropertyMetadataResponse> Desired);
