namespace DeviceTwins.Api.Contracts;

/// <summary>Who the credential of a request is: its name, its highest role (read, write, admin) and its tenant (null: every tenant).</summary>
public sealed record CallerResponse(string Name, string Role, string? Tenant);
