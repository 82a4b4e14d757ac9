namespace DeviceTwins.Grains.Interfaces.Commands;

/// <summary>The outcome of a cancellation, with the command as it now is (null when not found).</summary>
[GenerateSerializer, Immutable, Alias("dt.command-cancel-result")]
public sealed record CommandCancelResult(
    [property: Id(0)] CommandCancelStatus Status,
    [property: Id(1)] CommandInfo? Command);
