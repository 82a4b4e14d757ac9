namespace DeviceTwins.Api.Contracts;

/// <summary>A device credential as listed: its id, when and by whom it was issued (never the secret).</summary>
public sealed record CredentialResponse(string Id, DateTimeOffset CreatedAt, string CreatedBy);
