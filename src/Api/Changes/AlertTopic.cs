using System.Text.Json;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using DeviceTwins.Api.Configuration;
using DeviceTwins.Api.Contracts;

namespace DeviceTwins.Api.Changes;

/// <summary>Reading the alerts topic for the alert streams: the consumer, start positions and each record as an event.</summary>
internal static class AlertTopic
{
    private static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(10);

    /// <summary>A consumer that is assigned partitions by hand and commits nothing.</summary>
    public static IConsumer<byte[], byte[]> Consumer(AlertStreamOptions settings, string clientId) =>
        new ConsumerBuilder<byte[], byte[]>(Config(settings, clientId)).Build();

    /// <summary>The same consumer reading keys and values with the deserializers given.</summary>
    public static IConsumer<TKey, TValue> Consumer<TKey, TValue>(AlertStreamOptions settings, string clientId, IDeserializer<TKey> keys, IDeserializer<TValue> values) =>
        new ConsumerBuilder<TKey, TValue>(Config(settings, clientId)).SetKeyDeserializer(keys).SetValueDeserializer(values).Build();

    /// <summary>
    /// Every partition of the topic: where the client left it, the oldest kept record for a partition it never saw, or
    /// the end when it names no position.
    /// </summary>
    public static Dictionary<int, long> StartPositions<TKey, TValue>(IConsumer<TKey, TValue> consumer, string topic, IReadOnlyDictionary<int, long>? resume)
    {
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        var metadata = admin.GetMetadata(topic, MetadataTimeout).Topics.Single();
        if (metadata.Error.IsError)
        {
            throw new KafkaException(metadata.Error);
        }

        var next = new Dictionary<int, long>();
        foreach (var partition in metadata.Partitions.Select(p => p.PartitionId).Order())
        {
            if (resume is not null && resume.TryGetValue(partition, out var offset))
            {
                next[partition] = offset;
                continue;
            }

            var marks = consumer.QueryWatermarkOffsets(new TopicPartition(topic, partition), MetadataTimeout);
            next[partition] = resume is null ? marks.High.Value : marks.Low.Value;
        }

        return next;
    }

    /// <summary>The record as a stream event: its data lines rendered once, when first sent, or none for a record that is not an alert.</summary>
    public static AlertFeedEvent Event(ConsumeResult<byte[], byte[]> result, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(result);
        return AlertFeedEvent.FromRecord(result.Partition.Value, result.Offset.Value, result.Message.Value, options);
    }

    /// <summary>An alert record's data lines and its device's tenant; nulls for a record that is not an alert.</summary>
    public static (string? DataLines, string? Tenant) Render(byte[] value, JsonSerializerOptions options)
    {
        AlertResponse? alert;
        try
        {
            alert = JsonSerializer.Deserialize<AlertResponse>(value, options);
        }
        catch (JsonException)
        {
            alert = null;
        }

        return alert is { Id: not null, DeviceId: not null, State: not null }
            ? (ServerSentEvents.DataLines(JsonSerializer.Serialize(alert, options)), alert.Tenant)
            : (null, null);
    }

    private static ConsumerConfig Config(AlertStreamOptions settings, string clientId) => new(settings.Security.ToClientSettings())
    {
        BootstrapServers = settings.BootstrapServers,
        // Required by the client, never joined: partitions are assigned by hand and nothing is committed.
        GroupId = "devicetwins-alert-stream",
        EnableAutoCommit = false,
        EnableAutoOffsetStore = false,
        // An id older than the retention resumes at the oldest alert still kept.
        AutoOffsetReset = AutoOffsetReset.Earliest,
        QueuedMaxMessagesKbytes = 1024,
        ClientId = clientId,
    };
}
