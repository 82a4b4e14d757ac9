namespace DeviceTwins.Streaming.Kafka.Providers;

/// <summary>The outcome of mapping one Kafka record: a stream and an event, or the reason it is rejected to the dead-letter topic.</summary>
public readonly struct KafkaRecordMapping
{
    private KafkaRecordMapping(StreamId streamId, object? @event, string? rejection)
    {
        StreamId = streamId;
        Event = @event;
        Rejection = rejection;
    }

    /// <summary>The stream the event belongs to (valid when accepted).</summary>
    public StreamId StreamId { get; }

    /// <summary>The event delivered to the stream's consumers (valid when accepted).</summary>
    public object? Event { get; }

    /// <summary>Why the record was rejected, or null when it was accepted.</summary>
    public string? Rejection { get; }

    /// <summary>True when the record maps to an event.</summary>
    public bool IsAccepted => Rejection is null;

    /// <summary>Accepts the record as <paramref name="event"/> on <paramref name="streamId"/>.</summary>
    public static KafkaRecordMapping Accept(StreamId streamId, object @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        return new(streamId, @event, null);
    }

    /// <summary>Rejects the record; it goes to the dead-letter topic with this reason.</summary>
    public static KafkaRecordMapping Reject(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new(default, null, reason);
    }
}
