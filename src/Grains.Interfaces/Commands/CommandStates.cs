namespace DeviceTwins.Grains.Interfaces.Commands;

/// <summary>The wire names of <see cref="CommandState"/> (API, topics, MQTT) and the final states.</summary>
public static class CommandStates
{
    /// <summary>The lower-case name of <paramref name="state"/>.</summary>
    public static string Name(CommandState state) => state switch
    {
        CommandState.Queued => "queued",
        CommandState.Sent => "sent",
        CommandState.Accepted => "accepted",
        CommandState.Succeeded => "succeeded",
        CommandState.Failed => "failed",
        CommandState.Expired => "expired",
        CommandState.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    /// <summary>Whether <paramref name="state"/> ends the command.</summary>
    public static bool IsFinal(CommandState state) => state >= CommandState.Succeeded;
}
