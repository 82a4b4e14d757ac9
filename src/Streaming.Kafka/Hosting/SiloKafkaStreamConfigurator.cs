using DeviceTwins.Streaming.Kafka.Providers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.Providers;
using Orleans.Streams;

namespace DeviceTwins.Streaming.Kafka.Hosting;

/// <summary>Configures a Kafka persistent stream provider on a silo.</summary>
public sealed class SiloKafkaStreamConfigurator : SiloPersistentStreamConfigurator
{
    public SiloKafkaStreamConfigurator(string name, Action<Action<IServiceCollection>> configureServicesDelegate)
        : base(name, configureServicesDelegate, KafkaQueueAdapterFactory.Create)
    {
        ConfigureDelegate(services =>
        {
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KafkaStreamingOptions>, KafkaStreamingOptionsValidator>());
            services.AddOptions<KafkaStreamingOptions>(name).ValidateOnStart();
            services.AddMetrics();
            services.TryAddSingleton<KafkaStreamingMetrics>();
            // The base constructor added Orleans' silo streaming: every twin is one consumer activation of one stream.
            StreamConsumerFootprint.Compact(services);
            StreamProxyCopiers.Share(services);
        });

        // Only implicit subscriptions: no pub/sub grain storage, and consumers activate on their first record.
        this.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
        this.ConfigurePullingAgent(options => options.Configure<IOptionsMonitor<KafkaStreamingOptions>>((agent, kafka) =>
        {
            agent.GetQueueMsgsTimerPeriod = kafka.Get(name).ReadPeriod;
            agent.MaxEventDeliveryTime = kafka.Get(name).MaxDeliveryTime;
            agent.StreamInactivityPeriod = kafka.Get(name).StreamInactivityPeriod;
        }));
        this.ConfigureBackoffProvider((services, provider) => (IMessageDeliveryBackoffProvider)new KafkaDeliveryBackoff(
            services.GetRequiredService<IOptionsMonitor<KafkaStreamingOptions>>().Get(provider).DeliveryRetryMaxDelay));
    }

    /// <summary>Configures the provider's Kafka options.</summary>
    public SiloKafkaStreamConfigurator ConfigureKafka(Action<KafkaStreamingOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        this.Configure<KafkaStreamingOptions>(builder => builder.Configure(configure));
        return this;
    }

    /// <summary>Configures the provider's Kafka options with access to services.</summary>
    public SiloKafkaStreamConfigurator ConfigureKafka(Action<KafkaStreamingOptions, IServiceProvider> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        this.Configure<KafkaStreamingOptions>(builder => builder.Configure<IServiceProvider>(configure));
        return this;
    }

    /// <summary>Uses <typeparamref name="TMapper"/> (a singleton) to turn records into stream events.</summary>
    public SiloKafkaStreamConfigurator UseRecordMapper<TMapper>()
        where TMapper : class, IKafkaRecordMapper
    {
        ConfigureDelegate(services => services.AddKeyedSingleton<IKafkaRecordMapper, TMapper>(Name));
        return this;
    }
}
