namespace DeviceTwins.Grains.Interfaces.Commands;

/// <summary>A device's connection to the MQTT bridge as its twin last heard: unknown for devices that never used it.</summary>
[GenerateSerializer, Alias("dt.device-connection")]
public enum DeviceConnection : byte
{
    /// <summary>Never reported (a device or gateway that speaks Kafka): commands are sent at once.</summary>
    Unknown,

    /// <summary>Connected to a bridge: commands are sent.</summary>
    Connected,

    /// <summary>Disconnected: commands wait in the queue until it connects or they expire.</summary>
    Disconnected,
}
