namespace DeviceTwins.Grains.Interfaces.Commands;

/// <summary>
/// Bounds of a device's commands: how many may be unfinished, how many ended ones are kept to read back, the longest
/// timeout, and the largest payload.
/// </summary>
public sealed record CommandLimits(int MaxUnfinished, int RetainedFinished, TimeSpan MaxTimeout, int MaxPayloadBytes)
{
    /// <summary>The defaults: 100 unfinished, the last 20 ended, a week, 16 KiB.</summary>
    public static CommandLimits Default { get; } = new(100, 20, TimeSpan.FromDays(7), 16 * 1024);

    /// <summary>The timeout of a command that names none.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);
}
