namespace DeviceTwins.Grains.Telemetry;

/// <summary>Bounds a telemetry record must respect to be accepted.</summary>
public sealed record TelemetryLimits
{
    /// <summary>Largest accepted record value, in bytes.</summary>
    public int MaxValueBytes { get; init; } = 64 * 1024;

    /// <summary>Most metrics in one record.</summary>
    public int MaxMetrics { get; init; } = 256;

    /// <summary>Most reported properties in one record.</summary>
    public int MaxProperties { get; init; } = 256;

    /// <summary>Longest metric or property name, in characters.</summary>
    public int MaxNameLength { get; init; } = 128;

    /// <summary>How far ahead of the clock an event time may be.</summary>
    public TimeSpan MaxFutureSkew { get; init; } = TimeSpan.FromDays(1);

    /// <summary>How far behind the clock an event time may be; null accepts any age (replays of old data).</summary>
    public TimeSpan? MaxAge { get; init; }
}
