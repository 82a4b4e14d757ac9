using System.Diagnostics;
using System.Text;
using Confluent.Kafka;

namespace DeviceTwins.Streaming.Kafka.Providers;

/// <summary>
/// Continues the W3C trace a record's producer started (its "traceparent" header) with a receive activity per such
/// record, so a trace runs from the producer through this provider to whatever the stream's consumer does. Records
/// without the header cost one header lookup; nothing is recorded unless a listener samples the source.
/// </summary>
public static class KafkaTracing
{
    /// <summary>The activity source's name.</summary>
    public const string SourceName = "DeviceTwins.Streaming.Kafka";

    /// <summary>The W3C trace context header.</summary>
    public const string TraceParentHeader = "traceparent";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>The trace context to hand on for a record: its receive activity's, else its header's, else null.</summary>
    public static string? Receive(Headers? headers, string topic, int partition, long offset)
    {
        if (headers is null || !headers.TryGetLastBytes(TraceParentHeader, out var bytes))
        {
            return null;
        }

        var traceParent = Encoding.ASCII.GetString(bytes);
        if (!Source.HasListeners() || !ActivityContext.TryParse(traceParent, null, out var parent))
        {
            return traceParent;
        }

        using var activity = Source.StartActivity("kafka.receive", ActivityKind.Consumer, parent);
        if (activity is null)
        {
            return traceParent;
        }

        activity.SetTag("messaging.system", "kafka");
        activity.SetTag("messaging.destination.name", topic);
        activity.SetTag("messaging.destination.partition.id", partition);
        activity.SetTag("messaging.kafka.offset", offset);
        return activity.Id;
    }
}
