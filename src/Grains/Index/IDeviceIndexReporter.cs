using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Grains.Index;

/// <summary>Takes the summaries twins report after their state writes and sends them to the index shards, batched.</summary>
public interface IDeviceIndexReporter
{
    /// <summary>Queues <paramref name="summary"/> for its shard, replacing the device's summary still queued; never blocks on I/O.</summary>
    void Report(DeviceSummary summary);
}
