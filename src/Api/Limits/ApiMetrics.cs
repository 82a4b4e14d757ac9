namespace DeviceTwins.Api.Limits;

/// <summary>The API's meter: open event streams and the alert feed's attached streams (exported by the silo's /metrics).</summary>
public static class ApiMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "DeviceTwins.Api";
}
