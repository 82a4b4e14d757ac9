namespace DeviceTwins.Simulator;

/// <summary>How simulated devices send their telemetry.</summary>
public enum SimulatorTransport
{
    /// <summary>Produced to the telemetry topic, keyed by device id (a gateway that speaks Kafka).</summary>
    Kafka,

    /// <summary>Each device connects to the MQTT bridge with its own credential, publishes QoS 1 and answers its commands.</summary>
    Mqtt,
}
