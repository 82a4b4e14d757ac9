using DeviceTwins.Grains.Interfaces;
using DeviceTwins.Grains.Interfaces.Models;
using Microsoft.Extensions.DependencyInjection;

namespace DeviceTwins.Grains.Ingest;

/// <summary>Holds the silos' latest intake samples in memory and answers the fleet's records/s and consumer lag.</summary>
public sealed class IngestStatsGrain([FromKeyedServices(TwinClock.Key)] TimeProvider time) : Grain, IIngestStatsGrain
{
    /// <summary>How often each silo samples its intake.</summary>
    public static readonly TimeSpan SampleInterval = TimeSpan.FromSeconds(2);

    // Five missed samples: the silo stopped or died, and its figures would only grow stale.
    private readonly IngestRates _rates = new(SampleInterval * 5);

    public Task ReportAsync(IngestSample sample)
    {
        _rates.Add(sample);
        return Task.CompletedTask;
    }

    public Task<IngestStats> GetAsync() => Task.FromResult(_rates.At(time.GetUtcNow()));
}
