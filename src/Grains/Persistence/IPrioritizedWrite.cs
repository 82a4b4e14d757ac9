namespace DeviceTwins.Grains.Persistence;

/// <summary>
/// A grain state that can ask the twin store to take its next write ahead of bulk writes (window closes, heartbeat
/// storms, plain updates) when every slot is taken: a write that carries a new alert about a reading, or one an API
/// caller is waiting for. Not stored: the grain sets it for each write.
/// </summary>
public interface IPrioritizedWrite
{
    /// <summary>Whether the next write goes in the first lane.</summary>
    bool WriteFirst { get; }
}
