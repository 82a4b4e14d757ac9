using DeviceTwins.Grains.Telemetry;

namespace DeviceTwins.Silo.Configuration;

/// <summary>Telemetry contract limits (section "Telemetry").</summary>
public sealed class TelemetryOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Telemetry";

    /// <summary>Largest accepted record value, in bytes.</summary>
    public int MaxValueBytes { get; set; } = 64 * 1024;

    /// <summary>Most metrics in one record.</summary>
    public int MaxMetrics { get; set; } = 256;

    /// <summary>How far ahead of the clock an event time may be.</summary>
    public TimeSpan MaxFutureSkew { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How far behind the clock an event time may be; empty accepts any age.</summary>
    public TimeSpan? MaxAge { get; set; }

    /// <summary>The parser limits these options describe.</summary>
    public TelemetryLimits ToLimits() => new()
    {
        MaxValueBytes = MaxValueBytes,
        MaxMetrics = MaxMetrics,
        MaxFutureSkew = MaxFutureSkew,
        MaxAge = MaxAge,
    };
}
