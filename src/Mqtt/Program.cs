using System.Globalization;
using DeviceTwins.Streaming.Kafka.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using Orleans.Configuration;
using StackExchange.Redis;

namespace DeviceTwins.Mqtt;

/// <summary>
/// The stand-alone MQTT bridge (its own Kubernetes Deployment): an Orleans client of the silo cluster (Redis clustering,
/// or a localhost silo's gateway) for device credentials, Kafka clients for everything else, and health endpoints and
/// Prometheus metrics on Mqtt:HealthUrls. Kafka settings default to the platform's (Kafka:BootstrapServers, its first
/// telemetry topic, Kafka:CommandsTopic, Kafka:DeadLetterTopic, Kafka:Security).
/// </summary>
public static class Program
{
    /// <summary>Runs the bridge until stopped.</summary>
    public static async Task Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var configuration = builder.Configuration;
        var redis = configuration["Redis:ConnectionString"] ?? string.Empty;
        var security = new KafkaSecurityOptions();
        configuration.GetSection("Kafka:Security").Bind(security);
        var clientSettings = security.Protocol == KafkaSecurityProtocol.Plaintext ? new Dictionary<string, string>() : security.ToClientSettings();
        builder.WebHost.UseUrls((configuration["Mqtt:HealthUrls"] ?? "http://0.0.0.0:8081").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = configuration["Orleans:ClusterId"] ?? "devicetwins";
                o.ServiceId = configuration["Orleans:ServiceId"] ?? "devicetwins";
            });
            if (redis.Length > 0)
            {
                client.UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis));
            }
            else
            {
                client.UseLocalhostClustering(int.Parse(configuration["Orleans:GatewayPort"] ?? "30000", CultureInfo.InvariantCulture));
            }
        });
        builder.Services.AddMqttBridge(
            o =>
            {
                // The platform's Kafka settings, unless the bridge's own section names others.
                o.BootstrapServers = Fallback(o.BootstrapServers, configuration["Kafka:BootstrapServers"]);
                o.TelemetryTopic = Fallback(configuration["Mqtt:TelemetryTopic"], configuration["Kafka:TelemetryTopics"]?.Split(',')[0].Trim(), o.TelemetryTopic);
                o.CommandsTopic = Fallback(configuration["Mqtt:CommandsTopic"], configuration["Kafka:CommandsTopic"], o.CommandsTopic);
                o.DeadLetterTopic = Fallback(configuration["Mqtt:DeadLetterTopic"], configuration["Kafka:DeadLetterTopic"], o.DeadLetterTopic);
            },
            clientSettings);
        builder.Services.AddSingleton(sp => ActivatorUtilities.CreateInstance<BridgeHealthCheck>(sp, (IReadOnlyDictionary<string, string>)clientSettings));
        builder.Services.AddHealthChecks().AddCheck<BridgeHealthCheck>("bridge", tags: ["ready", "startup"]);
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(MqttBridgeMetrics.MeterName, "Microsoft.Orleans").AddPrometheusExporter());

        await using var app = builder.Build();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
        app.MapHealthChecks("/health/startup", new HealthCheckOptions { Predicate = c => c.Tags.Contains("startup") });
        app.MapPrometheusScrapingEndpoint("/metrics");
        await app.RunAsync();
    }

    private static string Fallback(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v)) ?? string.Empty;
}
