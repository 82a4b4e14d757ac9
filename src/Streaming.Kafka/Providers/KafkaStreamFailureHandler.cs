using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace DeviceTwins.Streaming.Kafka.Providers;

/// <summary>
/// Logs delivery failures. The failed batch itself is marked by the cache cursor and dead-lettered with its
/// original bytes by the receiver when it is purged, so nothing is lost silently.
/// </summary>
public sealed partial class KafkaStreamFailureHandler(ILogger<KafkaStreamFailureHandler> logger, QueueId queueId) : IStreamFailureHandler
{
    public bool ShouldFaultSubsriptionOnError => false;

    public Task OnDeliveryFailure(GuidId subscriptionId, string streamProviderName, StreamId streamIdentity, StreamSequenceToken? sequenceToken)
    {
        LogDeliveryFailure(streamProviderName, queueId.ToString(), streamIdentity.ToString(), sequenceToken?.SequenceNumber ?? -1);
        return Task.CompletedTask;
    }

    public Task OnSubscriptionFailure(GuidId subscriptionId, string streamProviderName, StreamId streamIdentity, StreamSequenceToken? sequenceToken)
    {
        LogSubscriptionFailure(streamProviderName, queueId.ToString(), streamIdentity.ToString(), sequenceToken?.SequenceNumber ?? -1);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Provider {Provider} gave up delivering stream {StreamId} at offset {Offset} of {Queue}; the batch goes to the dead-letter topic.")]
    private partial void LogDeliveryFailure(string provider, string queue, string streamId, long offset);

    [LoggerMessage(Level = LogLevel.Error, Message = "Provider {Provider} could not subscribe to stream {StreamId} at offset {Offset} of {Queue}.")]
    private partial void LogSubscriptionFailure(string provider, string queue, string streamId, long offset);
}
