using System.Text;
using DeviceTwins.Api.Security;
using DeviceTwins.Mqtt;

namespace DeviceTwins.Silo.Hosting;

/// <summary>
/// The last start-up line an operator reads: where the console, the REST API, its reference and the metrics are, which Kafka cluster
/// and twin store the platform uses, the development key's file, and the MQTT bridge's port. Written once the host has
/// started (every listener bound), so it is the newest line on the screen.
/// </summary>
public sealed partial class StartupBanner(
    IHostApplicationLifetime lifetime,
    IServiceProvider services,
    BannerFacts facts,
    ILogger<StartupBanner> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => LogBanner(Render()));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The banner's text.</summary>
    public string Render()
    {
        var api = facts.ApiUrl.TrimEnd('/');
        var text = new StringBuilder("DeviceTwins is running").AppendLine();
        text.Append("  Console         ").Append(api).AppendLine("/   (sign in with the API key)");
        text.Append("  REST API        ").Append(api).Append("/api/devices   reference ").Append(api).Append("/api/reference/   metrics ").Append(api).AppendLine("/metrics");
        if (services.GetService<ApiKeyStore>()?.DevelopmentKeyPath is { } keyFile)
        {
            text.Append("  API key         ").Append(Path.GetFullPath(keyFile)).AppendLine("   (send it as X-Api-Key)");
        }

        text.Append("  Kafka           ").Append(facts.BootstrapServers).AppendLine(facts.EmbeddedKafka ? "   (embedded)" : string.Empty);
        if (services.GetService<MqttBridge>() is { } bridge && (bridge.Port ?? bridge.TlsPort) is { } port)
        {
            text.Append("  MQTT            ").Append(bridge.Port is null ? "mqtts" : "mqtt").Append("://").Append(facts.MqttHost).Append(':').Append(port).AppendLine();
        }

        text.Append("  Twin state      ").Append(facts.TwinStore).AppendLine();
        text.Append("  Simulator       ").Append(facts.Simulator);
        return text.ToString();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Banner}")]
    private partial void LogBanner(string banner);
}
