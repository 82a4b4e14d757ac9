namespace DeviceTwins.Api.Configuration;

/// <summary>Cluster identity and ports (section "Orleans").</summary>
public sealed class OrleansOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Orleans";

    /// <summary>Cluster id shared by the silos and clients of one deployment.</summary>
    public string ClusterId { get; set; } = "devicetwins";

    /// <summary>Service id; state in Redis is keyed by it, so keep it across deployments.</summary>
    public string ServiceId { get; set; } = "devicetwins";

    /// <summary>Silo-to-silo port.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Client gateway port.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Address advertised to other silos; empty picks this host's address (loopback for localhost clustering).</summary>
    public string AdvertisedIpAddress { get; set; } = string.Empty;
}
