namespace DeviceTwins.Testing;

/// <summary>
/// One telemetry record the platform must dead-letter: its bytes as produced (a null <see cref="Key"/> is a record
/// without a key) and a text the dead-letter reason must contain.
/// </summary>
internal sealed record PoisonRecord(string Kind, byte[]? Key, byte[] Value, string ExpectedReason);
