namespace DeviceTwins.Grains.Interfaces.Commands;

/// <summary>Where a command is in its lifecycle: queued, sent, accepted, then one final state.</summary>
[GenerateSerializer, Alias("dt.command-state")]
public enum CommandState
{
    /// <summary>Waiting behind the device's command in flight, or for the device to connect.</summary>
    Queued,

    /// <summary>Handed to delivery (the commands topic, and MQTT for a connected device); not yet acknowledged.</summary>
    Sent,

    /// <summary>The device acknowledged receipt and is carrying it out.</summary>
    Accepted,

    /// <summary>The device reported success (final).</summary>
    Succeeded,

    /// <summary>The device reported failure (final).</summary>
    Failed,

    /// <summary>No final result before the command's timeout (final).</summary>
    Expired,

    /// <summary>Cancelled over the API before it was sent (final).</summary>
    Cancelled,
}
