namespace DeviceTwins.Streaming.Kafka.Providers;

/// <summary>Collects one stream's records of a read, in offset order, into a <see cref="KafkaBatchContainer"/>.</summary>
internal sealed class KafkaBatchBuilder(StreamId streamId, byte[]? key)
{
    private readonly List<object> _events = new(4);
    private readonly List<long> _offsets = new(4);
    private readonly List<byte[]?> _values = new(4);

    public void Add(object @event, long offset, byte[]? value)
    {
        _events.Add(@event);
        _offsets.Add(offset);
        _values.Add(value);
    }

    public KafkaBatchContainer Build() => new(streamId, [.. _events], [.. _offsets])
    {
        RawKey = key,
        RawValues = [.. _values],
    };
}
