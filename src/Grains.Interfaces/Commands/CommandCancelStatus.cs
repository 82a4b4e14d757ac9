namespace DeviceTwins.Grains.Interfaces.Commands;

/// <summary>What a cancellation did.</summary>
[GenerateSerializer, Alias("dt.command-cancel-status")]
public enum CommandCancelStatus
{
    /// <summary>The command was queued and is now cancelled.</summary>
    Cancelled,

    /// <summary>The command was sent already or has ended: it cannot be cancelled.</summary>
    TooLate,

    /// <summary>No such command (or device) for this caller.</summary>
    NotFound,

    /// <summary>Too many changes wait to be published; nothing changed, retry later.</summary>
    Busy,
}
