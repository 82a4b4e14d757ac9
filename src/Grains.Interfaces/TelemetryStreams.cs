namespace DeviceTwins.Grains.Interfaces;

/// <summary>Names of the Orleans streams that carry device telemetry.</summary>
public static class TelemetryStreams
{
    /// <summary>The stream provider reading the telemetry topics.</summary>
    public const string ProviderName = "telemetry";

    /// <summary>The stream namespace; the stream key is the device id.</summary>
    public const string Namespace = "telemetry";
}
