using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Grains.Interfaces;

/// <summary>
/// The platform's telemetry intake in figures (key 0): each silo reports a sample every few seconds, the console and
/// <c>GET /api/fleet/stats</c> read the rate and the lag. Kept in memory: after a move it is whole again within two
/// samples.
/// </summary>
[Alias("dt.IIngestStatsGrain")]
public interface IIngestStatsGrain : IGrainWithIntegerKey
{
    /// <summary>Records one silo's latest sample.</summary>
    [Alias("Report")]
    Task ReportAsync(IngestSample sample);

    /// <summary>The rate and lag summed over the silos heard from recently.</summary>
    [Alias("Get")]
    Task<IngestStats> GetAsync();
}
