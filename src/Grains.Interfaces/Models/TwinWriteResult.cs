namespace DeviceTwins.Grains.Interfaces.Models;

/// <summary>The outcome of a twin write: its status, the twin after it when written, and the twin's current version.</summary>
[GenerateSerializer, Immutable, Alias("dt.twin-write-result")]
public sealed record TwinWriteResult(
    [property: Id(0)] TwinWriteStatus Status,
    [property: Id(1)] TwinSnapshot? Twin,
    [property: Id(2)] long Version);
