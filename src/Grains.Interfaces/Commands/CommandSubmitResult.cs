namespace DeviceTwins.Grains.Interfaces.Commands;

/// <summary>The outcome of a command submission, with the command when one was created or found.</summary>
[GenerateSerializer, Immutable, Alias("dt.command-submit-result")]
public sealed record CommandSubmitResult(
    [property: Id(0)] CommandSubmitStatus Status,
    [property: Id(1)] CommandInfo? Command);
