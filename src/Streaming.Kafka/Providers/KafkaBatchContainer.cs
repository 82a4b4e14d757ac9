using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace DeviceTwins.Streaming.Kafka.Providers;

/// <summary>
/// The records of one stream (device) from one read of one partition, in offset order. Grouping a stream's
/// records per read turns many deliveries into one. Each event's sequence token is its Kafka offset.
/// </summary>
[GenerateSerializer, Immutable, Alias("dt.kafka.batch")]
public sealed class KafkaBatchContainer : IBatchContainer
{
    public KafkaBatchContainer(StreamId streamId, object[] events, long[] offsets)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(offsets);
        if (events.Length == 0 || events.Length != offsets.Length)
        {
            throw new ArgumentException("A batch needs one offset per event and at least one event.", nameof(offsets));
        }

        StreamId = streamId;
        Events = events;
        Offsets = offsets;
    }

    /// <summary>The stream (device) all events belong to.</summary>
    [Id(0)]
    public StreamId StreamId { get; }

    /// <summary>The events, in offset order.</summary>
    [Id(1)]
    public object[] Events { get; }

    /// <summary>The Kafka offset of each event.</summary>
    [Id(2)]
    public long[] Offsets { get; }

    /// <summary>The token of the first event (the pulling agent reads it several times per delivery).</summary>
    public StreamSequenceToken SequenceToken => _sequenceToken ??= new EventSequenceTokenV2(Offsets[0]);

    [NonSerialized]
    private EventSequenceTokenV2? _sequenceToken;

    /// <summary>The first offset in the batch.</summary>
    public long FirstOffset => Offsets[0];

    /// <summary>The last offset in the batch.</summary>
    public long LastOffset => Offsets[^1];

    /// <summary>Original value bytes, kept on the reading silo so a failed delivery can be dead-lettered verbatim.</summary>
    [NonSerialized]
    internal byte[]?[]? RawValues;

    /// <summary>Original key bytes.</summary>
    [NonSerialized]
    internal byte[]? RawKey;

    /// <summary>The read this batch came from, for offset commit tracking.</summary>
    [NonSerialized]
    internal ReadBatch? Read;

    /// <summary>Set when the pulling agent gave up delivering this batch.</summary>
    [NonSerialized]
    internal volatile bool DeliveryFailed;

    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>()
    {
        for (var i = 0; i < Events.Length; i++)
        {
            if (Events[i] is T item)
            {
                yield return Tuple.Create(item, (StreamSequenceToken)new EventSequenceTokenV2(Offsets[i]));
            }
        }
    }

    public bool ImportRequestContext() => false;

    public override string ToString() => $"KafkaBatchContainer({StreamId}, {Events.Length} events, offsets {FirstOffset}..{LastOffset})";
}
