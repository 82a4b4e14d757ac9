using k8s.Models;

namespace DeviceTwins.DeploymentTests;

/// <summary>The MQTT bridge's Deployment: its settings, probes, listeners, certificate and the network paths it needs.</summary>
public sealed class MqttBridgeManifestTests
{
    public static TheoryData<string> Overlays => DeploymentEnvironment.Overlays;

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Bridge_ProbesOnItsHealthPort_SameClusterAndKafkaAsTheSilo(string overlay)
    {
        var rendered = RenderedOverlay.Of(overlay);
        var bridge = PlatformWorkloads.MainContainer(PlatformWorkloads.Mqtt(rendered));
        var environment = PlatformWorkloads.Environment(rendered, bridge);
        var silo = PlatformWorkloads.Environment(rendered, PlatformWorkloads.MainContainer(PlatformWorkloads.Silo(rendered)));

        Assert.Equal("http://0.0.0.0:8081", environment["Mqtt__HealthUrls"]);
        var health = Assert.Single(bridge.Ports, p => p.Name == "health");
        Assert.Equal(8081, health.ContainerPort);
        foreach (var (probe, path) in new[] { (bridge.LivenessProbe, "/health/live"), (bridge.ReadinessProbe, "/health/ready"), (bridge.StartupProbe, "/health/startup") })
        {
            Assert.Equal((path, "health"), (probe?.HttpGet?.Path, probe?.HttpGet?.Port.Value));
        }

        // One cluster: the silo's Orleans identity, Redis membership and Kafka cluster and topics.
        foreach (var key in new[] { "Orleans__ServiceId", "Orleans__ClusterId", "Redis__ConnectionString", "Kafka__BootstrapServers", "Kafka__TelemetryTopics" })
        {
            Assert.Equal(silo.GetValueOrDefault(key), environment.GetValueOrDefault(key));
        }
    }

    [Fact]
    public void Prod_TlsOnly_CertificateFromItsSecret_ServiceExposes8883()
    {
        var rendered = RenderedOverlay.Of("prod");
        var deployment = PlatformWorkloads.Mqtt(rendered);
        var bridge = PlatformWorkloads.MainContainer(deployment);
        var environment = PlatformWorkloads.Environment(rendered, bridge);

        Assert.Equal(("-1", "8883"), (environment["Mqtt__Port"], environment["Mqtt__TlsPort"]));
        var path = environment["Mqtt__TlsCertificatePath"];
        var mount = Assert.Single(bridge.VolumeMounts, m => path.StartsWith(m.MountPath.TrimEnd('/') + "/", StringComparison.Ordinal));
        var volume = Assert.Single(deployment.Spec.Template.Spec.Volumes, v => v.Name == mount.Name);
        Assert.Equal("devicetwins-mqtt-tls", volume.Secret?.SecretName);
        Assert.Contains(volume.Secret!.Items, i => path.EndsWith("/" + i.Path, StringComparison.Ordinal));
        Assert.Equal("devicetwins-mqtt-tls", Assert.Single(bridge.Env, e => e.Name == "Mqtt__TlsCertificatePassword").ValueFrom?.SecretKeyRef?.Name);
        var service = Assert.Single(rendered.OfType<V1Service>(), s => s.Metadata.Name == "devicetwins-mqtt");
        Assert.Contains(service.Spec.Ports, p => p.Port == 8883 && p.TargetPort.Value == "mqtts");
        Assert.Contains(bridge.Ports, p => p.Name == "mqtts" && p.ContainerPort == 8883);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void NetworkPolicies_BridgeReachesRedisAndTheGateways_DevicesReachTheBridge(string overlay)
    {
        var rendered = RenderedOverlay.Of(overlay);
        var policies = rendered.OfType<V1NetworkPolicy>().ToList();

        Assert.True(Allows(policies, "redis", "mqtt", 6379), "Redis from the bridge");
        Assert.True(Allows(policies, "devicetwins-silo", "mqtt", 30000), "the silo gateway from the bridge");
        var own = Assert.Single(policies, p => p.Metadata.Name == "devicetwins-mqtt");
        var open = own.Spec.Ingress.Where(r => r.FromProperty is null || r.FromProperty.Count == 0).SelectMany(r => r.Ports).Select(p => p.Port.Value).ToList();
        Assert.Contains("1883", open);
        Assert.Contains("8883", open);
    }

    private static bool Allows(List<V1NetworkPolicy> policies, string policy, string component, int port) =>
        policies.Single(p => p.Metadata.Name == policy).Spec.Ingress.Any(rule =>
            rule.Ports.Any(p => p.Port.Value == port.ToString(System.Globalization.CultureInfo.InvariantCulture))
            && rule.FromProperty.Any(peer => peer.PodSelector?.MatchLabels is { } labels && labels.TryGetValue("app.kubernetes.io/component", out var c) && c == component));
}
