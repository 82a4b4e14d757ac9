namespace DeviceTwins.Mqtt;

/// <summary>What a device's publish is, by its topic.</summary>
public enum MqttPublishKind
{
    /// <summary>Not one of the device's own topics: refused.</summary>
    Refused,

    /// <summary>A telemetry record (the telemetry contract).</summary>
    Telemetry,

    /// <summary>The device's result of one of its commands.</summary>
    CommandResult,
}
