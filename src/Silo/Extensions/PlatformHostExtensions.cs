using DeviceTwins.Silo.Hosting;
using Orleans.Configuration;
using DeviceTwins.Api.Configuration;
using DeviceTwins.Api.Extensions;
using DeviceTwins.Silo.Configuration;
using DeviceTwins.Silo.Health;
using DeviceTwins.Silo.Kafka;
using DeviceTwins.Silo.Storage;
using DeviceTwins.Mqtt;
using DeviceTwins.Simulator;
using DeviceTwins.Grains.Diagnostics;
using DeviceTwins.Streaming.Kafka.Admin;
using DeviceTwins.Streaming.Kafka.Hosting;
using DeviceTwins.Streaming.Kafka.Providers;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace DeviceTwins.Silo.Extensions;

/// <summary>Composition of the whole platform in one process: silo, REST API, MQTT bridge and, optionally, the simulated fleet.</summary>
public static class PlatformHostExtensions
{
    /// <summary>Adds the silo, the REST API and the simulator to <paramref name="builder"/>, reading Kafka at <paramref name="bootstrapServers"/>.</summary>
    public static WebApplicationBuilder AddDeviceTwinsPlatform(this WebApplicationBuilder builder, PlatformSettings settings, string bootstrapServers)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(settings);
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        // Bound and validated once, before the host was built.
        services.AddSingleton(Options.Create(settings.Kafka));
        if (!settings.Kafka.UseEmbedded)
        {
            // Registered before Orleans so that topics exist before the stream provider reads their metadata.
            services.AddSingleton<KafkaTopicProvisioner>();
            services.AddHostedService<TopicProvisioningService>();
        }

        // A graceful stop deactivates and writes twins and commits offsets: give it the configured time, not the 30 s default.
        services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.Silo.ShutdownTimeout);
        // Exits the process if a stop overruns the timeout (its watch ends when the host is disposed after stopping).
        services.AddHostedService(sp => new ShutdownDeadline(
            sp.GetRequiredService<IHostApplicationLifetime>(), TimeProvider.System, settings.Silo.ShutdownTimeout, Environment.Exit, sp.GetRequiredService<ILogger<ShutdownDeadline>>()));
        // Failure detection (Orleans:Membership:ProbeTimeout, NumMissedProbesLimit, ...): how fast a crashed silo is
        // declared dead, its partitions move and its twins activate elsewhere.
        services.Configure<ClusterMembershipOptions>(builder.Configuration.GetSection("Orleans:Membership"));
        builder.UseOrleans(silo => silo
            .AddDeviceTwinsClustering(settings.Orleans, settings.Redis)
            .AddDeviceTwinsKubernetesHosting(settings.Silo, Environment.GetEnvironmentVariable)
            .AddDeviceTwinsMemoryShedding(settings.Silo)
            .AddDeviceTwinsStorage(settings.Redis)
            .AddDeviceTwinsTelemetry(settings.Kafka, bootstrapServers, settings.Analytics));

        // Prometheus metrics: the platform's own meters, Orleans' and the runtime's (GC heap and pauses, the cost of a twin).
        var telemetry = services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(KafkaStreamingMetrics.MeterName, TwinMetrics.MeterName, DeviceTwins.Api.Limits.ApiMetrics.MeterName, MqttBridgeMetrics.MeterName, "Microsoft.Orleans", "System.Runtime")
            .AddPrometheusExporter());

        // Traces of records whose producer sent a "traceparent": receipt, the twin's turn, the publication of its outputs,
        // exported over OTLP to OTEL_EXPORTER_OTLP_ENDPOINT when it is set (the exporter's own variables configure it).
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(KafkaTracing.SourceName, TwinTracing.SourceName)
                .AddOtlpExporter());
        }

        // /health/ready: joined the cluster, Kafka and Redis reachable, not shutting down. /health/startup: joined.
        var health = services.AddHealthChecks()
            .AddCheck<SiloActiveHealthCheck>("silo", tags: ["ready", "startup"])
            .AddCheck("kafka", new KafkaHealthCheck(bootstrapServers, settings.Kafka.ClientSettings()), tags: ["ready"]);
        if (settings.Redis.IsConfigured)
        {
            // One instance (one connection), aware of the twin store's circuit breaker.
            services.AddSingleton(sp => new RedisHealthCheck(settings.Redis.ConnectionString, sp.GetService<TwinStoreCircuit>()));
            health.AddCheck<RedisHealthCheck>("redis", tags: ["ready"]);
        }

        builder.WebHost.UseUrls(settings.Api.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        services.AddDeviceTwinsApi();
        // The co-hosted alert stream reads the cluster the silo uses, embedded or not.
        services.PostConfigure<AlertStreamOptions>(o =>
        {
            o.BootstrapServers = string.IsNullOrWhiteSpace(o.BootstrapServers) ? bootstrapServers : o.BootstrapServers;
            o.Security = settings.Kafka.UseEmbedded ? new KafkaSecurityOptions() : settings.Kafka.Security;
        });
        if (builder.Configuration.GetValue("Mqtt:Enabled", true))
        {
            // The MQTT bridge in the same process: devices' telemetry and results to the cluster the silo reads.
            services.AddMqttBridge(o => o.UsePlatformKafka(settings.Kafka, bootstrapServers), settings.Kafka.ClientSettings());
        }

        if (settings.SimulatorEnabled)
        {
            services.AddFleetSimulator(o =>
            {
                o.Enabled = true;
                if (string.IsNullOrWhiteSpace(o.BootstrapServers))
                {
                    o.BootstrapServers = bootstrapServers;
                    o.ClientSettings = settings.Kafka.ClientSettings();
                }

                // Over MQTT, the co-hosted fleet connects to this process's bridge.
                if (builder.Configuration.GetValue("Mqtt:Port", 1883) is var port and > 0)
                {
                    o.MqttPort = port;
                }
            });
            // Its devices' credentials are issued by their twins directly, as the platform (no API key needed in-process).
            services.AddOptions<DeviceTwins.Simulator.SimulatorOptions>().PostConfigure<IGrainFactory>((o, grains) =>
                o.IssueCredential ??= (id, _) => SimulatorCredentials.IssueAsync(grains, id));
        }

        // Last: the banner an operator reads once everything listens.
        var bind = builder.Configuration["Mqtt:BindAddress"] ?? "0.0.0.0";
        services.AddSingleton(new BannerFacts(
            settings.Api.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0],
            bootstrapServers,
            settings.Kafka.UseEmbedded,
            bind is "0.0.0.0" or "::" ? "localhost" : bind,
            settings.Redis.IsConfigured ? "Redis" : "in memory (lost at exit; set Redis:ConnectionString to keep it)",
            settings.SimulatorEnabled ? $"{builder.Configuration.GetValue("Simulator:Devices", 50)} devices over {builder.Configuration["Simulator:Transport"] ?? "Kafka"} (--no-simulator turns it off)" : "off"));
        services.AddHostedService<StartupBanner>();
        return builder;
    }
}
