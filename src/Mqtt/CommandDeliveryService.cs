using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DeviceTwins.Mqtt;

/// <summary>
/// Reads the commands topic, every partition (assigned, not a group: each bridge instance serves the devices connected
/// to it, so each reads everything), from its end at start, and hands each delivery to the bridge. Nothing is committed:
/// a restarted bridge starts at the end again, and twins send their command in flight again when a device reconnects.
/// </summary>
public sealed partial class CommandDeliveryService(
    IOptions<MqttBridgeOptions> options,
    IReadOnlyDictionary<string, string> clientSettings,
    MqttBridge bridge,
    ILogger<CommandDeliveryService> logger) : BackgroundService
{
    private IConsumer<byte[], byte[]>? _consumer;

    /// <summary>
    /// Positions the consumer at the end of every partition before the bridge accepts devices, so no delivery made
    /// after a device connects can fall before the consumer's start (a group's join would take seconds).
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        _consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig(clientSettings.ToDictionary())
        {
            BootstrapServers = settings.BootstrapServers,
            GroupId = "devicetwins-mqtt-" + Guid.NewGuid().ToString("N")[..12],
            EnableAutoCommit = false,
            FetchWaitMaxMs = 10,
            AllowAutoCreateTopics = false,
        }).SetLogHandler((_, _) => { }).Build();
        using (var admin = new DependentAdminClientBuilder(_consumer.Handle).Build())
        {
            var topic = admin.GetMetadata(settings.CommandsTopic, TimeSpan.FromSeconds(30)).Topics.Single();
            if (topic.Error.IsError)
            {
                throw new InvalidOperationException($"The commands topic '{settings.CommandsTopic}' cannot be read: {topic.Error.Reason}.");
            }

            _consumer.Assign(topic.Partitions.Select(p => new TopicPartitionOffset(
                settings.CommandsTopic, p.PartitionId, _consumer.QueryWatermarkOffsets(new TopicPartition(settings.CommandsTopic, p.PartitionId), TimeSpan.FromSeconds(30)).High)));
        }

        await base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(_consumer!, stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    private async Task Run(IConsumer<byte[], byte[]> consumer, CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                ConsumeResult<byte[], byte[]>? record;
                try
                {
                    record = consumer.Consume(stoppingToken);
                }
                catch (ConsumeException exception)
                {
                    LogConsumeFailed(exception, exception.Error.Reason);
                    continue;
                }

                if (record?.Message?.Key is { } key && record.Message.Value is { } value)
                {
                    await bridge.DeliverAsync(Encoding.UTF8.GetString(key), value);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            consumer.Close();
            consumer.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the commands topic failed: {Reason}")]
    private partial void LogConsumeFailed(Exception exception, string reason);
}
