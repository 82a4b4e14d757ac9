namespace DeviceTwins.Grains.Interfaces.Commands;

/// <summary>What a command submission did.</summary>
[GenerateSerializer, Alias("dt.command-submit-status")]
public enum CommandSubmitStatus
{
    /// <summary>Created and queued (or sent at once).</summary>
    Created,

    /// <summary>A command with the same idempotency key and request exists: that one is returned.</summary>
    Existing,

    /// <summary>The idempotency key was used for a different request; nothing changed.</summary>
    IdempotencyConflict,

    /// <summary>The device holds as many unfinished commands as it may; nothing changed.</summary>
    QueueFull,

    /// <summary>The device belongs to a tenant the caller does not see.</summary>
    NotFound,

    /// <summary>Too many changes wait to be published; nothing changed, retry later.</summary>
    Busy,
}
