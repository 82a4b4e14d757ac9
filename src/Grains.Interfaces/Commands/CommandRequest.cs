namespace DeviceTwins.Grains.Interfaces.Commands;

/// <summary>A command asked of a device: its name, an optional JSON payload (text), how long it may take, and an optional idempotency key.</summary>
[GenerateSerializer, Immutable, Alias("dt.command-request")]
public sealed record CommandRequest(
    [property: Id(0)] string Name,
    [property: Id(1)] string? Payload,
    [property: Id(2)] TimeSpan Timeout,
    [property: Id(3)] string? IdempotencyKey);
