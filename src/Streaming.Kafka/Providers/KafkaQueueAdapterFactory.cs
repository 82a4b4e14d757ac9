using Confluent.Kafka;
using ErrorCode = Confluent.Kafka.ErrorCode;
using DeviceTwins.Streaming.Kafka.Hosting;
using DeviceTwins.Streaming.Kafka.Publishing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;

namespace DeviceTwins.Streaming.Kafka.Providers;

/// <summary>
/// Creates the Kafka queue adapter: reads each topic's partition count from the cluster, builds one queue per
/// partition, and supplies the per-stream cache and the dead-lettering failure handler.
/// </summary>
public sealed partial class KafkaQueueAdapterFactory : IQueueAdapterFactory, IDisposable
{
    private readonly string _name;
    private readonly KafkaStreamingOptions _options;
    private readonly IKafkaRecordMapper _recordMapper;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly KafkaQueueAdapterCache _cache;
    private KafkaPartitionQueueMapper? _mapper;
    private KafkaDeadLetterPublisher? _deadLetters;

    private readonly KafkaStreamingMetrics _metrics;

    public KafkaQueueAdapterFactory(string name, KafkaStreamingOptions options, IKafkaRecordMapper recordMapper, KafkaStreamingMetrics metrics, ILoggerFactory loggerFactory)
    {
        _metrics = metrics;
        _name = name;
        _options = options;
        _recordMapper = recordMapper;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<KafkaQueueAdapterFactory>();
        _cache = new KafkaQueueAdapterCache(options);
    }

    /// <summary>Creates the factory of the provider named <paramref name="name"/> from the service provider.</summary>
    public static KafkaQueueAdapterFactory Create(IServiceProvider services, string name)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.GetRequiredService<IOptionsMonitor<KafkaStreamingOptions>>().Get(name);
        var mapper = services.GetRequiredKeyedService<IKafkaRecordMapper>(name);
        return new KafkaQueueAdapterFactory(name, options, mapper, services.GetRequiredService<KafkaStreamingMetrics>(), services.GetRequiredService<ILoggerFactory>());
    }

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task<IQueueAdapter> CreateAdapter() => CreateAdapter(CancellationToken.None);

    public async Task<IQueueAdapter> CreateAdapter(CancellationToken cancellationToken)
    {
        var partitions = await Task.Run(ReadPartitionCounts, cancellationToken).ConfigureAwait(false);
        _mapper = KafkaPartitionQueueMapper.Create(_name, partitions);
        _metrics.PartitionsKnown(_mapper.PartitionIds.Count);
        _deadLetters ??= new KafkaDeadLetterPublisher(_options, _loggerFactory.CreateLogger<KafkaDeadLetterPublisher>());
        LogAdapterCreated(_name, string.Join(", ", partitions.Select(p => $"{p.Topic} ({p.Partitions})")), _mapper.PartitionIds.Count);
        return new KafkaQueueAdapter(_name, _options, _mapper, _recordMapper, _deadLetters, _metrics, _cache, _loggerFactory);
    }

    public IQueueAdapterCache GetQueueAdapterCache() => _cache;

    public IStreamQueueMapper GetStreamQueueMapper() =>
        _mapper?.QueueMapper ?? throw new InvalidOperationException($"Stream provider '{_name}' has no queue mapper before its adapter is created.");

    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) =>
        Task.FromResult<IStreamFailureHandler>(new KafkaStreamFailureHandler(_loggerFactory.CreateLogger<KafkaStreamFailureHandler>(), queueId));

    public void Dispose() => _deadLetters?.Dispose();

    private List<(string Topic, int Partitions)> ReadPartitionCounts()
    {
        var config = new AdminClientConfig(new Dictionary<string, string>(_options.ClientSettings)) { BootstrapServers = _options.BootstrapServers };
        using var admin = new AdminClientBuilder(config).SetLogHandler((_, _) => { }).Build();
        Metadata metadata;
        try
        {
            // Metadata for all topics: asking for one unknown topic by name may auto-create it.
            metadata = admin.GetMetadata(_options.OperationTimeout);
        }
        catch (KafkaException exception)
        {
            throw new KafkaStreamingException($"Stream provider '{_name}' could not read metadata from {_options.BootstrapServers}", exception);
        }

        var result = new List<(string, int)>();
        foreach (var topic in _options.Topics)
        {
            var found = metadata.Topics.FirstOrDefault(t => t.Topic == topic && t.Error.Code == ErrorCode.NoError);
            if (found is null || found.Partitions.Count == 0)
            {
                throw new KafkaStreamingException($"Stream provider '{_name}': topic '{topic}' does not exist on {_options.BootstrapServers}.");
            }

            result.Add((topic, found.Partitions.Count));
        }

        return result;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Kafka stream provider {Provider} reads {Topics}: {QueueCount} queues")]
    private partial void LogAdapterCreated(string provider, string topics, int queueCount);
}
