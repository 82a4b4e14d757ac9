namespace DeviceTwins.Grains.Interfaces.Commands;

/// <summary>
/// A device's report on a command, carried by a telemetry record's <c>commandResult</c> member: receipt
/// (<see cref="CommandState.Accepted"/>) or its outcome (<see cref="CommandState.Succeeded"/>, <see cref="CommandState.Failed"/>)
/// with an optional JSON payload (text).
/// </summary>
[GenerateSerializer, Immutable, Alias("dt.command-result")]
public sealed record CommandResultReport(
    [property: Id(0)] string CommandId,
    [property: Id(1)] CommandState Status,
    [property: Id(2)] string? Payload);
