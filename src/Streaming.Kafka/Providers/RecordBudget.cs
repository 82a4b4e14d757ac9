namespace DeviceTwins.Streaming.Kafka.Providers;

/// <summary>
/// Undelivered records held by all the queue caches of one provider in this silo. Reads are large so that
/// each device's records group into few deliveries; the budget bounds their sum however many partitions the
/// silo owns.
/// </summary>
public sealed class RecordBudget(long capacity)
{
    private long _held;

    /// <summary>Most records the caches may hold together.</summary>
    public long Capacity { get; } = capacity;

    /// <summary>Records held now.</summary>
    public long Held => Interlocked.Read(ref _held);

    /// <summary>True when a read of <paramref name="records"/> more would exceed the capacity.</summary>
    public bool WouldExceed(int records) => Held + records > Capacity;

    internal void Add(int records) => Interlocked.Add(ref _held, records);
}
