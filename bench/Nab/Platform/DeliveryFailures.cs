using Confluent.Kafka;

namespace DeviceTwins.Nab.Platform;

/// <summary>Delivery reports that failed, collected on the producer's thread and checked after a flush.</summary>
internal sealed class DeliveryFailures
{
    private int _count;
    private string? _first;

    /// <summary>The delivery handler: remembers a failed report.</summary>
    public void Record(DeliveryReport<byte[], byte[]> report)
    {
        if (report.Error.IsError)
        {
            Interlocked.CompareExchange(ref _first, report.Error.Reason, null);
            Interlocked.Increment(ref _count);
        }
    }

    /// <summary>Throws when any record failed.</summary>
    public void ThrowIfAny(string topic)
    {
        if (Volatile.Read(ref _count) > 0)
        {
            throw new PipelineException(topic, $"{_count} record(s) could not be produced, first: {_first}");
        }
    }
}
