using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using StackExchange.Redis;

namespace DeviceTwins.Mqtt;

/// <summary>
/// The stand-alone MQTT bridge (its own Kubernetes Deployment): an Orleans client of the silo cluster (Redis clustering,
/// or a localhost silo's gateway) for device credentials, and a Kafka client for everything else.
/// </summary>
public static class Program
{
    /// <summary>Runs the bridge until stopped.</summary>
    public static async Task Main(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        var redis = builder.Configuration["Redis:ConnectionString"] ?? string.Empty;
        var security = new DeviceTwins.Streaming.Kafka.Hosting.KafkaSecurityOptions();
        builder.Configuration.GetSection("Mqtt:Security").Bind(security);
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = builder.Configuration["Orleans:ClusterId"] ?? "devicetwins";
                o.ServiceId = builder.Configuration["Orleans:ServiceId"] ?? "devicetwins";
            });
            if (redis.Length > 0)
            {
                client.UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis));
            }
            else
            {
                client.UseLocalhostClustering(int.Parse(builder.Configuration["Orleans:GatewayPort"] ?? "30000", System.Globalization.CultureInfo.InvariantCulture));
            }
        });
        builder.Services.AddMqttBridge(null, security.Protocol == DeviceTwins.Streaming.Kafka.Hosting.KafkaSecurityProtocol.Plaintext ? new Dictionary<string, string>() : security.ToClientSettings());
        await builder.Build().RunAsync();
    }
}
