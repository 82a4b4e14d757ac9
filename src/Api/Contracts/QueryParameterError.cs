namespace DeviceTwins.Api.Contracts;

/// <summary>Why a query parameter was refused: its name and a sentence saying what it must be.</summary>
public sealed record QueryParameterError(string Parameter, string Detail);
