using Orleans.Internal;
using Orleans.Runtime.Providers;

namespace DeviceTwins.Streaming.Kafka.Providers;

/// <summary>
/// How long the pulling agent waits before retrying a failed delivery: 100 ms, doubling up to a bound, with ±20 %
/// jitter. Orleans' default grows to 30 s, which after a storage outage keeps partitions idle long after the store is
/// back; a delivery that fails costs little, so the bound is short.
/// </summary>
public sealed class KafkaDeliveryBackoff(TimeSpan maxDelay) : IMessageDeliveryBackoffProvider
{
    private static readonly TimeSpan First = TimeSpan.FromMilliseconds(100);

    /// <summary>The wait after <paramref name="attempt"/> failed attempts (the jitter aside).</summary>
    public TimeSpan Nominal(int attempt)
    {
        var doublings = Math.Clamp(attempt - 1, 0, 30);
        var delay = First * Math.Pow(2, doublings);
        return delay < maxDelay ? delay : maxDelay;
    }

    /// <inheritdoc/>
    public TimeSpan Next(int attempt) => Nominal(attempt) * (0.8 + (0.4 * Random.Shared.NextDouble()));
}
