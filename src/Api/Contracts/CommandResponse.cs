using System.Text.Json;

namespace DeviceTwins.Api.Contracts;

/// <summary>A command as the API returns it: what was asked, its state, and the device's result.</summary>
public sealed record CommandResponse(
    string Id,
    string DeviceId,
    string Name,
    JsonElement? Payload,
    string State,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset ExpiresAt,
    int Attempt,
    JsonElement? Result,
    string? IdempotencyKey,
    string? CreatedBy);
