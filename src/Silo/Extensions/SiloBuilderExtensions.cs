using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using DeviceTwins.Analytics;
using DeviceTwins.Grains.Publishing;
using DeviceTwins.Silo.Analytics;
using DeviceTwins.Api.Configuration;
using DeviceTwins.Grains;
using DeviceTwins.Grains.Alerts;
using DeviceTwins.Grains.Persistence;
using DeviceTwins.Grains.Wake;
using DeviceTwins.Silo.Hosting;
using DeviceTwins.Grains.Diagnostics;
using DeviceTwins.Grains.Index;
using DeviceTwins.Grains.Interfaces;
using DeviceTwins.Silo.Configuration;
using DeviceTwins.Silo.Kafka;
using DeviceTwins.Silo.Storage;
using DeviceTwins.Streaming.Kafka.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Runtime.Hosting;
using Orleans.Storage;
using StackExchange.Redis;

namespace DeviceTwins.Silo.Extensions;

/// <summary>Composition of the DeviceTwins silo: clustering, twin storage and the telemetry stream.</summary>
public static class SiloBuilderExtensions
{
    /// <summary>Redis clustering when Redis is configured, otherwise a single localhost silo.</summary>
    public static ISiloBuilder AddDeviceTwinsClustering(this ISiloBuilder silo, OrleansOptions orleans, RedisOptions redis)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(orleans);
        ArgumentNullException.ThrowIfNull(redis);
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = orleans.ClusterId;
            o.ServiceId = orleans.ServiceId;
        });
        if (redis.IsConfigured)
        {
            silo.UseRedisClustering(o => o.ConfigurationOptions = RedisConfiguration(redis));
            var address = string.IsNullOrWhiteSpace(orleans.AdvertisedIpAddress) ? IPAddress.Loopback : IPAddress.Parse(orleans.AdvertisedIpAddress);
            silo.ConfigureEndpoints(address, orleans.SiloPort, orleans.GatewayPort, listenOnAnyHostAddress: true);
        }
        else
        {
            silo.UseLocalhostClustering(orleans.SiloPort, orleans.GatewayPort, serviceId: orleans.ServiceId, clusterId: orleans.ClusterId);
        }

        return silo;
    }

    /// <summary>
    /// Sheds the longest idle activations when the silo's memory passes <see cref="SiloHostOptions.ShedActivationsAbovePercent"/>
    /// (Orleans' activation shedding on memory pressure); nothing when it is 0.
    /// </summary>
    public static ISiloBuilder AddDeviceTwinsMemoryShedding(this ISiloBuilder silo, SiloHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(options);
        if (options.ShedActivationsAbovePercent == 0)
        {
            return silo;
        }

        // Safe for twins: what they have due is in the wake index, so a shed twin still closes its windows and goes offline.
        return silo.Configure<GrainCollectionOptions>(o =>
        {
            o.EnableActivationSheddingOnMemoryPressure = true;
            o.MemoryUsageLimitPercentage = options.ShedActivationsAbovePercent;
            o.MemoryUsageTargetPercentage = options.ShedActivationsAbovePercent - 10;
        });
    }

    /// <summary>
    /// Orleans' Kubernetes hosting (silo named after POD_NAME, advertised on POD_IP unless Orleans:AdvertisedIpAddress is
    /// set, pods of defunct silos deleted) when <see cref="SiloHostOptions.KubernetesHosting"/> is on and the process runs
    /// in a pod (<paramref name="environment"/> has KUBERNETES_SERVICE_HOST); otherwise nothing.
    /// </summary>
    public static ISiloBuilder AddDeviceTwinsKubernetesHosting(this ISiloBuilder silo, SiloHostOptions options, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(options);

        ArgumentNullException.ThrowIfNull(environment);
        return options.UseKubernetesHosting(environment) ? silo.UseKubernetesHosting() : silo;
    }

    /// <summary>Twin state in Redis when configured, otherwise in this process's memory.</summary>
    public static ISiloBuilder AddDeviceTwinsStorage(this ISiloBuilder silo, RedisOptions redis)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(redis);
        if (!redis.IsConfigured)
        {
            return silo.ConfigureServices(services =>
            {
                services.AddInProcessWakeIndex();
                services.AddGrainStorage(DeviceTwinGrain.StorageName, (sp, _) => new InProcessGrainStorage(sp.GetRequiredService<InProcessTwinWakeIndex>()));
                services.TryAddSingleton<ITwinHistoryStore, InProcessTwinHistoryStore>();
            });
        }

        // Redis storage is registered under an inner name and reached through a bound on operations in flight.
        const string redisStorage = DeviceTwinGrain.StorageName + "-redis";
        var connection = new TwinStoreConnection();
        return silo.ConfigureServices(services =>
        {
            services.AddTwinWakeOptions();
            if (redis.Cluster)
            {
                // A twin's wake entry shares its index shard's hash tag: the wake index has as many shards as the device index.
                services.AddOptions<TwinWakeOptions>().PostConfigure<IOptions<DeviceIndexOptions>>((wake, index) => wake.Shards = index.Value.Shards);
                services.AddSingleton(sp => new ReplicaAcknowledgement(
                    connection,
                    redis.ReplicaAcks,
                    redis.ReplicaAckTimeout,
                    redis.ReplicaAckDeadline,
                    sp.GetRequiredService<TimeProvider>(),
                    sp.GetRequiredService<ILogger<ReplicaAcknowledgement>>(),
                    sp.GetRequiredService<IMeterFactory>()));
            }

            // Orleans' binary serializer: it stores the analytics state (plain C#, polymorphic detector states) through
            // the System.Text.Json codec AddDeviceTwinsTelemetry registers.
            services.AddGrainStorage(redisStorage, (sp, _) => new RedisTwinStorage(
                connection,
                RedisConfiguration(redis),
                sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId,
                new PooledGrainStorageSerializer(sp.GetRequiredService<Serializer>()),
                sp.GetRequiredService<Orleans.Serialization.Serializers.IActivatorProvider>(),
                sp.GetRequiredService<RedisTwinWakeIndex>(),
                sp.GetRequiredService<RedisDeviceSummaryStore>(),
                sp.GetRequiredService<IOptions<DeviceIndexOptions>>().Value.Shards,
                redis.Cluster,
                sp.GetService<ReplicaAcknowledgement>()));
            services.AddSingleton(sp => new RedisDeviceSummaryStore(
                connection,
                sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId,
                sp.GetRequiredService<Serializer>(),
                sp.GetRequiredService<TwinStoreCircuit>(),
                redis.Cluster));
            services.AddSingleton<IDeviceSummaryStore>(sp => sp.GetRequiredService<RedisDeviceSummaryStore>());
            services.AddSingleton<IAlertIndexJournal>(sp => new RedisAlertIndexJournal(
                connection,
                sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId,
                sp.GetRequiredService<Serializer>(),
                sp.GetRequiredService<TwinStoreCircuit>()));
            services.AddSingleton<ITwinWakeIndex>(sp => sp.GetRequiredService<RedisTwinWakeIndex>());
            services.AddSingleton(sp => new RedisTwinWakeIndex(
                connection,
                sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId,
                sp.GetRequiredService<IOptions<TwinWakeOptions>>().Value,
                sp.GetRequiredService<TwinStoreCircuit>(),
                redis.Cluster));
            services.TryAddSingleton(TimeProvider.System);
            services.AddMetrics();
            services.AddSingleton(connection);
            services.AddSingleton(sp => new TwinStoreCircuit(
                redis.CircuitProbeInterval,
                connection.PingAsync,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<TwinStoreCircuit>>(),
                sp.GetRequiredService<IMeterFactory>()));
            services.AddSingleton<ITwinHistoryStore>(sp => new RedisTwinHistoryStore(
                connection,
                sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId,
                sp.GetRequiredService<TwinStoreCircuit>()));
            services.AddGrainStorage(
                DeviceTwinGrain.StorageName,
                (sp, _) => new ThrottledGrainStorage(sp.GetRequiredKeyedService<IGrainStorage>(redisStorage), redis.MaxConcurrentOperations, sp.GetRequiredService<TwinStoreCircuit>()));
        });
    }

    /// <summary>
    /// The telemetry stream (every partition of the telemetry topics feeds the twin grains) and what the twins need:
    /// their analytics (<paramref name="analytics"/>, the defaults when null) and the publisher of alerts and aggregates.
    /// </summary>
    public static ISiloBuilder AddDeviceTwinsTelemetry(this ISiloBuilder silo, KafkaOptions kafka, string bootstrapServers, AnalyticsOptions? analytics = null)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(kafka);
        ArgumentException.ThrowIfNullOrWhiteSpace(bootstrapServers);
        silo.ConfigureServices(services =>
        {
            services.TryAddSingleton(TimeProvider.System);
            services.TryAddKeyedSingleton(TwinClock.Key, TimeProvider.System);
            services.TryAddSingleton(new DeviceAnalytics(analytics ?? new AnalyticsOptions()));
            services.AddAnalyticsSerialization();
            // One producer per silo for every output: alerts, aggregates, desired state, the audit trail and commands.
            services.TryAddSingleton(sp => new KafkaAnalyticsPublisher(kafka, bootstrapServers, sp.GetRequiredService<TwinMetrics>(), sp.GetRequiredService<ILogger<KafkaAnalyticsPublisher>>()));
            services.TryAddSingleton<IAnalyticsPublisher>(sp => sp.GetRequiredService<KafkaAnalyticsPublisher>());
            services.TryAddSingleton<IDesiredStatePublisher>(sp => sp.GetRequiredService<KafkaAnalyticsPublisher>());
            services.TryAddSingleton<IAuditPublisher>(sp => sp.GetRequiredService<KafkaAnalyticsPublisher>());
            services.TryAddSingleton<ICommandPublisher>(sp => sp.GetRequiredService<KafkaAnalyticsPublisher>());
            services.AddMetrics();
            services.TryAddSingleton<TwinMetrics>();
            services.TryAddSingleton(new TwinTickGate());
            services.TryAddSingleton(sp => new TwinTimerQueue(sp.GetRequiredKeyedService<TimeProvider>(TwinClock.Key)));
            services.TryAddSingleton<AlertIndexReporter>();
            services.TryAddSingleton<TwinServices>();
            services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.SectionName).ValidateOnStart();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>());
            services.AddOptions<DeviceIndexOptions>().BindConfiguration(DeviceIndexOptions.SectionName).ValidateOnStart();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DeviceIndexOptions>, DeviceIndexOptionsValidator>());
            services.TryAddSingleton<DeviceIndexReporter>();
            // Retained windows and cleared alerts in this process unless AddDeviceTwinsStorage put them in Redis.
            services.TryAddSingleton<ITwinHistoryStore, InProcessTwinHistoryStore>();
            services.TryAddSingleton<IDeviceIndexReporter>(sp => sp.GetRequiredService<DeviceIndexReporter>());
            services.TryAddSingleton<IDeviceSummaryStore, NoDeviceSummaryStore>();
            services.TryAddSingleton<IAlertIndexJournal, NoAlertIndexJournal>();
            services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, DeviceIndexReporterLifecycle>();
            services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, IngestSampler>();
            // The durable wake index, in this process unless AddDeviceTwinsStorage put it in Redis, and its sweep.
            services.AddInProcessWakeIndex();
            services.AddHostedService<TwinWakeService>();
        });
        silo.AddKafkaStreams(TelemetryStreams.ProviderName, streams => streams
            .ConfigureKafka(o =>
            {
                o.BootstrapServers = bootstrapServers;
                o.Topics = [.. kafka.TelemetryTopicList];
                o.ConsumerGroup = kafka.ConsumerGroup;
                o.DeadLetterTopic = kafka.DeadLetterTopic;
                o.MaxRecordsPerRead = kafka.MaxRecordsPerRead;
                o.CacheCapacity = kafka.CacheCapacity;
                o.SiloCacheCapacity = kafka.SiloCacheCapacity;
                o.SiloNewStreamCapacity = kafka.SiloNewStreamCapacity;
                o.StreamInactivityPeriod = kafka.StreamInactivityPeriod;
                o.CommitInterval = kafka.CommitInterval;
                o.FetchWaitMax = kafka.EffectiveFetchWaitMax(kafka.UseEmbedded);
                o.ReadPeriod = kafka.ReadPeriod;
                o.DeliveryRetryMaxDelay = kafka.DeliveryRetryMaxDelay;
                o.ClientSettings = kafka.ClientSettings();
            })
            .UseRecordMapper<TelemetryRecordMapper>());
        return silo;
    }

    // The wake index kept in this process (unless the Redis twin store registered its own) and what it needs.
    private static void AddInProcessWakeIndex(this IServiceCollection services)
    {
        services.AddTwinWakeOptions();
        services.TryAddSingleton(sp => new InProcessTwinWakeIndex(sp.GetRequiredService<IOptions<TwinWakeOptions>>().Value));
        services.TryAddSingleton<ITwinWakeIndex>(sp => sp.GetRequiredService<InProcessTwinWakeIndex>());
    }

    private static void AddTwinWakeOptions(this IServiceCollection services)
    {
        services.AddOptions<TwinWakeOptions>().BindConfiguration(TwinWakeOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TwinWakeOptions>, TwinWakeOptionsValidator>());
    }

    private static readonly string AnalyticsNamespace = typeof(DeviceAnalytics).Namespace!;

    /// <summary>
    /// Lets Orleans' serializer read analytics types (plain C#, no Orleans attributes) stored as System.Text.Json: twin
    /// states written before the binary analytics codec (<c>AnalyticsStateFieldCodec</c>, which writes every state now).
    /// </summary>
    public static IServiceCollection AddAnalyticsSerialization(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSerializer(serializer => serializer.AddJsonSerializer(
            type => type.Namespace?.StartsWith(AnalyticsNamespace, StringComparison.Ordinal) == true,
            new JsonSerializerOptions { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals }));
        return services;
    }

    private static ConfigurationOptions RedisConfiguration(RedisOptions redis)
    {
        var options = ConfigurationOptions.Parse(redis.ConnectionString);
        // Keep retrying while Redis restarts instead of failing the silo.
        options.AbortOnConnectFail = false;
        return options;
    }
}
