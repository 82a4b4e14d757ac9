using System.Net;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using DeviceTwins.Nab.Data;

namespace DeviceTwins.Nab.Platform;

/// <summary>
/// Replays the corpus through a running platform: each category's series are produced as telemetry (one device per series,
/// keyed by device id, in order, snappy-compressed, so the embedded cluster's 5 MiB per partition holds them), the replay
/// waits until every device's twin counts all its records, and then reads the alerts topic from where it stood before the
/// replay. Every raise of a metric rule on one of the replayed devices is a detection at the record it names (its event
/// time, and its value where several records share that time).
/// </summary>
public sealed class PipelineReplay(string bootstrapServers, Uri api, string? apiKey, string run, TextWriter log)
{
    /// <summary>Topic the platform reads telemetry from.</summary>
    public const string TelemetryTopic = "iot.telemetry";

    /// <summary>Topic the platform writes alert changes to.</summary>
    public const string AlertsTopic = "iot.alerts";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(120);

    /// <summary>One detection flag per record of each series, in the corpus' order.</summary>
    public async Task<IReadOnlyList<bool[]>> DetectAsync(NabCorpus corpus, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        var devices = corpus.Series.Select(s => NabDevices.DeviceId(s.Key, run)).ToList();
        if (devices.Distinct(StringComparer.Ordinal).Count() != devices.Count)
        {
            throw new PipelineException(run, "two series map to the same device id.");
        }

        var start = AlertOffsets();
        using (var http = new HttpClient { BaseAddress = api, Timeout = Timeout })
        using (var producer = Producer())
        {
            if (apiKey is not null)
            {
                http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
            }

            foreach (var category in corpus.Series.Select((s, i) => (s, i)).GroupBy(x => x.s.Category))
            {
                var members = category.ToList();
                var records = members.Sum(x => x.s.Values.Count);
                log.WriteLine($"{category.Key}: producing {records} records of {members.Count} series to {TelemetryTopic}");
                var failures = new DeliveryFailures();
                foreach (var (series, index) in members)
                {
                    Produce(producer, devices[index], series, failures);
                }

                producer.Flush(cancellationToken);
                failures.ThrowIfAny(TelemetryTopic);
                await WaitAppliedAsync(http, [.. members.Select(x => (devices[x.i], x.s.Values.Count))], cancellationToken);
            }
        }

        return ReadDetections(corpus, devices, start, cancellationToken);
    }

    private IProducer<byte[], byte[]> Producer() => new ProducerBuilder<byte[], byte[]>(new ProducerConfig
    {
        BootstrapServers = bootstrapServers,
        EnableIdempotence = true,
        Acks = Acks.All,
        LingerMs = 20,
        CompressionType = CompressionType.Snappy,
        AllowAutoCreateTopics = false,
    }).SetLogHandler((_, _) => { }).Build();

    private static void Produce(IProducer<byte[], byte[]> producer, string deviceId, NabSeries series, DeliveryFailures failures)
    {
        var key = Encoding.UTF8.GetBytes(deviceId);
        for (var row = 0; row < series.Values.Count; row++)
        {
            var value = TelemetryJson.Record(deviceId, NabDevices.EventTime(series.Timestamps[row]), series.Values[row]);
            while (true)
            {
                try
                {
                    producer.Produce(TelemetryTopic, new Message<byte[], byte[]> { Key = key, Value = value }, failures.Record);
                    break;
                }
                catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(100));
                }
            }
        }
    }

    // Polls each device's twin until its message count reaches the records produced; fails when nothing moves for a while.
    private async Task WaitAppliedAsync(HttpClient http, List<(string Device, int Records)> devices, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var progress = DateTime.UtcNow;
        while (true)
        {
            var behind = 0;
            foreach (var (device, records) in devices)
            {
                counts.TryGetValue(device, out var known);
                if (known >= records)
                {
                    continue;
                }

                var count = await MessageCountAsync(http, device, cancellationToken);
                if (count != known)
                {
                    counts[device] = count;
                    progress = DateTime.UtcNow;
                }

                behind += count < records ? 1 : 0;
            }

            if (behind == 0)
            {
                return;
            }

            if (DateTime.UtcNow - progress > Stall)
            {
                var stuck = devices.Where(d => counts.GetValueOrDefault(d.Device) < d.Records).Select(d => $"{d.Device} {counts.GetValueOrDefault(d.Device)}/{d.Records}");
                throw new PipelineException(api.ToString(), $"no progress for {Stall.TotalSeconds} s; twins behind: {string.Join(", ", stuck)}. Were records trimmed by the 5 MiB per partition cap?");
            }

            await Task.Delay(500, cancellationToken);
        }
    }

    private static async Task<long> MessageCountAsync(HttpClient http, string device, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri($"api/devices/{Uri.EscapeDataString(device)}", UriKind.Relative), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return 0;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new PipelineException(device, $"GET {http.BaseAddress}api/devices/{device} answered {(int)response.StatusCode}.");
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var twin = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
        return twin.RootElement.GetProperty("messageCount").GetInt64();
    }

    private List<TopicPartitionOffset> AlertOffsets()
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).SetLogHandler((_, _) => { }).Build();
        var topic = admin.GetMetadata(AlertsTopic, Timeout).Topics.SingleOrDefault();
        if (topic is null || topic.Error.IsError || topic.Partitions.Count == 0)
        {
            throw new PipelineException(bootstrapServers, $"topic {AlertsTopic} is missing ({topic?.Error.Reason}); is the platform running?");
        }

        using var consumer = Consumer();
        return [.. topic.Partitions.Select(p => new TopicPartition(AlertsTopic, p.PartitionId))
            .Select(tp => new TopicPartitionOffset(tp, consumer.QueryWatermarkOffsets(tp, Timeout).High))];
    }

    private IConsumer<byte[], byte[]> Consumer() => new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
    {
        BootstrapServers = bootstrapServers,
        GroupId = "nab-replay-" + run,
        EnableAutoCommit = false,
        AutoOffsetReset = AutoOffsetReset.Earliest,
    }).SetLogHandler((_, _) => { }).Build();

    private List<bool[]> ReadDetections(NabCorpus corpus, List<string> devices, List<TopicPartitionOffset> start, CancellationToken cancellationToken)
    {
        var detections = corpus.Series.Select(s => new bool[s.Values.Count]).ToList();
        var byDevice = devices.Select((d, i) => (d, i)).ToDictionary(x => x.d, x => x.i, StringComparer.Ordinal);
        using var consumer = Consumer();
        var end = start.ToDictionary(p => p.Partition.Value, p => consumer.QueryWatermarkOffsets(p.TopicPartition, Timeout));
        if (start.FirstOrDefault(p => end[p.Partition.Value].Low > p.Offset) is { } trimmed)
        {
            throw new PipelineException(AlertsTopic, $"partition {trimmed.Partition.Value} no longer holds offset {trimmed.Offset.Value}: alerts of this replay were trimmed.");
        }

        consumer.Assign(start);
        var pending = start.Where(p => end[p.Partition.Value].High > p.Offset).Select(p => p.Partition.Value).ToHashSet();
        var raises = 0;
        while (pending.Count > 0)
        {
            var result = consumer.Consume(Timeout) ?? throw new PipelineException(AlertsTopic, $"no record within {Timeout.TotalSeconds} s before the end of partitions {string.Join(", ", pending)}.");
            cancellationToken.ThrowIfCancellationRequested();
            if (result.IsPartitionEOF)
            {
                continue;
            }

            if (result.Offset.Value + 1 >= end[result.Partition.Value].High)
            {
                pending.Remove(result.Partition.Value);
            }

            var alert = AlertRecord.Parse(result.Message.Value);
            if (alert.IsMetricRaise && byDevice.TryGetValue(alert.DeviceId, out var index))
            {
                detections[index][RowOf(corpus.Series[index], alert)] = true;
                raises++;
            }
        }

        consumer.Close();
        log.WriteLine($"{AlertsTopic}: {raises} raises of metric rules on the replayed devices");
        return detections;
    }

    /// <summary>The record an alert names: the first at its event time, or among records sharing that time the first with its value.</summary>
    public static int RowOf(NabSeries series, AlertRecord alert)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(alert);
        var first = -1;
        for (var row = 0; row < series.Timestamps.Count; row++)
        {
            if (NabDevices.EventTime(series.Timestamps[row]) != alert.EventTime)
            {
                continue;
            }

            if (series.Values[row].Equals(alert.Value))
            {
                return row;
            }

            first = first < 0 ? row : first;
        }

        return first >= 0 ? first : throw new PipelineException(alert.DeviceId, $"an alert at {alert.EventTime:O} names no record of {series.Key}.");
    }
}
