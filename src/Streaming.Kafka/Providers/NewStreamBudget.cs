namespace DeviceTwins.Streaming.Kafka.Providers;

/// <summary>
/// Streams new to the queue caches of one provider in this silo whose first batch is not delivered yet. Each such
/// stream is a consumer to activate (a twin to load from storage); a backlog of a whole fleet would otherwise start
/// every activation at once and starve the silo. Reads pause at the capacity and take no more records than its room.
/// </summary>
public sealed class NewStreamBudget(long capacity)
{
    private long _held;

    /// <summary>Most new streams in flight at once.</summary>
    public long Capacity { get; } = capacity;

    /// <summary>New streams in flight now.</summary>
    public long Held => Interlocked.Read(ref _held);

    /// <summary>How many more new streams may be taken on now (0 when full).</summary>
    public long Room => Math.Max(0, Capacity - Held);

    internal void Add(int streams) => Interlocked.Add(ref _held, streams);
}
