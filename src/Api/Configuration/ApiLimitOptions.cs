namespace DeviceTwins.Api.Configuration;

/// <summary>Limits that keep the API serving under many clients (section "Api:Limits").</summary>
public sealed class ApiLimitOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Api:Limits";

    /// <summary>Event streams (alerts, twin changes, fleet changes) open at once in this process; beyond it, 503 with Retry-After.</summary>
    public int MaxStreams { get; set; } = 5000;

    /// <summary>Event streams open at once per credential (API key name or token subject); beyond it, 429 with Retry-After.</summary>
    public int MaxStreamsPerCredential { get; set; } = 1000;

    /// <summary>Alert events a stream may fall behind the shared reader before it is cut off (it then resumes from its last id).</summary>
    public int StreamBuffer { get; set; } = 1024;

    /// <summary>Alert records kept per partition of the alerts topic, so a reconnecting stream resumes without reading the topic.</summary>
    public int AlertReplayPerPartition { get; set; } = 1000;

    /// <summary>Alert streams reading the topic themselves at once (resuming from further back than the shared reader holds); beyond it, 503 with Retry-After.</summary>
    public int MaxCatchUpReaders { get; set; } = 8;

    /// <summary>Requests per second per credential, sustained (a token bucket); 0 turns request rate limiting off.</summary>
    public int RequestsPerSecond { get; set; }

    /// <summary>Requests per credential allowed in a burst above <see cref="RequestsPerSecond"/>.</summary>
    public int RequestBurst { get; set; } = 100;
}
