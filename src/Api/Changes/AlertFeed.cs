using System.Diagnostics.Metrics;
using Confluent.Kafka;
using DeviceTwins.Api.Configuration;
using Microsoft.Extensions.Options;

namespace DeviceTwins.Api.Changes;

/// <summary>
/// The process's one reader of the alerts topic: every partition from its end at start, each record rendered once and
/// handed to <see cref="AlertFanOut"/>, which every alert stream reads. Reconnects after a Kafka failure (the streams
/// end meanwhile and resume from their ids).
/// </summary>
public sealed partial class AlertFeed(
    IOptions<AlertStreamOptions> options,
    IOptions<ApiLimitOptions> limits,
    IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
    ILogger<AlertFeed> logger,
    IMeterFactory? meters = null) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _catchUp = new(limits.Value.MaxCatchUpReaders);

    /// <summary>What the streams attach to.</summary>
    public AlertFanOut FanOut { get; } = new(
        limits.Value.AlertReplayPerPartition,
        limits.Value.StreamBuffer,
        (partition, offset, value) => AlertFeedEvent.FromRecord(partition, offset, value, json.Value.SerializerOptions));

    /// <summary>A slot for a stream that reads the topic itself until it can attach (Api:Limits:MaxCatchUpReaders), or null.</summary>
    public IDisposable? TryStartCatchUp() => _catchUp.Wait(0) ? new CatchUpSlot(_catchUp) : null;

    public override void Dispose()
    {
        _catchUp.Dispose();
        base.Dispose();
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        meters?.Create(Limits.ApiMetrics.MeterName).CreateObservableGauge(
            "devicetwins.api.alert_feed.streams", () => FanOut.Subscribers, "{stream}", "Alert streams attached to the shared reader of the alerts topic");
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.BootstrapServers))
        {
            return Task.CompletedTask;
        }

        // librdkafka's Consume blocks: a thread of its own, not one from the pool per poll.
        return Task.Factory.StartNew(() => Run(settings, stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private void Run(AlertStreamOptions settings, CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Keys are not read, and values go through one scratch buffer: the fan-out copies only what it keeps.
                using var consumer = AlertTopic.Consumer(settings, "devicetwins-alert-feed", Deserializers.Ignore, new ScratchDeserializer());
                var next = AlertTopic.StartPositions(consumer, settings.AlertsTopic, resume: null);
                consumer.Assign(next.Select(p => new TopicPartitionOffset(settings.AlertsTopic, p.Key, p.Value)));
                FanOut.Start(next);
                LogStarted(logger, settings.AlertsTopic, next.Count);
                backoff = TimeSpan.FromMilliseconds(250);
                try
                {
                    while (true)
                    {
                        var result = consumer.Consume(stoppingToken);
                        if (result is { IsPartitionEOF: false, Message: not null })
                        {
                            FanOut.Publish(result.Partition.Value, result.Offset.Value, result.Message.Value.Span);
                        }
                    }
                }
                finally
                {
                    FanOut.Stop();
                    consumer.Close();
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (KafkaException exception)
            {
                LogFailed(logger, exception, settings.AlertsTopic, backoff);
                stoppingToken.WaitHandle.WaitOne(backoff);
                backoff = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, backoff.Ticks * 2));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The alert feed reads {Topic} ({Partitions} partitions) for every alert stream")]
    private static partial void LogStarted(ILogger logger, string topic, int partitions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The alert feed cannot read {Topic}; alert streams read it themselves meanwhile, retry in {Backoff}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string topic, TimeSpan backoff);

    private sealed class CatchUpSlot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
