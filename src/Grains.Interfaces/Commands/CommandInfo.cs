namespace DeviceTwins.Grains.Interfaces.Commands;

/// <summary>
/// A command of a device as its twin holds it: what was asked (name, payload as JSON text), its state, when it expires,
/// and the device's result. <see cref="Attempt"/> counts deliveries (a device that reconnects before accepting is sent it again).
/// </summary>
[GenerateSerializer, Immutable, Alias("dt.command-info")]
public sealed record CommandInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string DeviceId,
    [property: Id(2)] string Name,
    [property: Id(3)] string? Payload,
    [property: Id(4)] CommandState State,
    [property: Id(5)] DateTimeOffset CreatedAt,
    [property: Id(6)] DateTimeOffset UpdatedAt,
    [property: Id(7)] DateTimeOffset ExpiresAt,
    [property: Id(8)] int Attempt,
    [property: Id(9)] string? Result,
    [property: Id(10)] string? Tenant)
{
    /// <summary>The Idempotency-Key the command was created with, if any.</summary>
    [Id(11)]
    public string? IdempotencyKey { get; init; }

    /// <summary>Who asked for it (the audit trail's actor name).</summary>
    [Id(12)]
    public string? CreatedBy { get; init; }
}
