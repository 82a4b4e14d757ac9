using DeviceTwins.Silo.Configuration;
using DeviceTwins.Streaming.Kafka.Admin;
using Microsoft.Extensions.Options;

namespace DeviceTwins.Silo.Kafka;

/// <summary>Creates the platform's missing topics on a real Kafka cluster before the silo starts reading.</summary>
public sealed class TopicProvisioningService(IOptions<KafkaOptions> options, KafkaTopicProvisioner provisioner) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        provisioner.EnsureTopicsAsync(options.Value.BootstrapServers, options.Value.ClientSettings(), PlatformTopics.For(options.Value), TimeSpan.FromSeconds(30));

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
