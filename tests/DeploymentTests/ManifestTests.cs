using System.Text.RegularExpressions;
using k8s.Models;
using Microsoft.Extensions.Configuration;

namespace DeviceTwins.DeploymentTests;

/// <summary>Every overlay renders, loads strictly, and means what the platform needs.</summary>
public sealed class ManifestTests
{
    [Theory]
    [MemberData(nameof(Overlays))]
    public void Overlay_Rendered_EveryObjectLoadsStrictly(string overlay)
    {
        var rendered = RenderedOverlay.Of(overlay);

        Assert.NotEmpty(rendered.Objects);
        Assert.Empty(rendered.Objects.GroupBy(o => (o.Kind, o.Name)).Where(g => g.Count() > 1).Select(g => $"{g.Key.Kind} {g.Key.Name}"));
    }

    [Fact]
    public void StrictLoading_MisspelledField_Fails()
    {
        // The guarantee the other tests rest on: a field the Kubernetes schema does not have is an error, not ignored.
        const string yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  replica: 2\n";

        Assert.ThrowsAny<Exception>(() => k8s.KubernetesYaml.Deserialize<V1Deployment>(yaml, strict: true));
        Assert.Null(k8s.KubernetesYaml.Deserialize<V1Deployment>(yaml, strict: false).Spec.Replicas);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Workloads_Selectors_MatchTheirPodTemplateLabels(string overlay)
    {
        var rendered = RenderedOverlay.Of(overlay);
        var problems = rendered.OfType<V1Deployment>().Where(d => !PlatformWorkloads.Selects(d.Spec.Selector, d.Spec.Template.Metadata?.Labels)).Select(d => $"Deployment {d.Metadata.Name}")
            .Concat(rendered.OfType<V1StatefulSet>().Where(s => !PlatformWorkloads.Selects(s.Spec.Selector, s.Spec.Template.Metadata?.Labels)).Select(s => $"StatefulSet {s.Metadata.Name}"));

        Assert.Empty(problems);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Services_TargetPortsOfTheirPods(string overlay)
    {
        var rendered = RenderedOverlay.Of(overlay);
        var problems = new List<string>();
        foreach (var service in rendered.OfType<V1Service>())
        {
            var pods = PlatformWorkloads.PodTemplates(rendered)
                .Where(p => service.Spec.Selector is { Count: > 0 } s && s.All(l => p.Template.Metadata?.Labels?.TryGetValue(l.Key, out var v) == true && v == l.Value))
                .ToList();
            if (pods.Count == 0)
            {
                problems.Add($"Service {service.Metadata.Name} selects no pod template");
                continue;
            }

            foreach (var port in service.Spec.Ports)
            {
                var target = port.TargetPort?.Value ?? port.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
                var served = pods.All(p => p.Template.Spec.Containers.SelectMany(c => c.Ports ?? []).Any(cp =>
                    cp.Name == target || cp.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture) == target));
                if (!served)
                {
                    problems.Add($"Service {service.Metadata.Name} port {port.Name ?? port.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)} targets {target}, which a selected pod does not expose");
                }
            }
        }

        Assert.Empty(problems);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void PlatformEnvironment_EveryVariableIsAConfigurationKey(string overlay)
    {
        var rendered = RenderedOverlay.Of(overlay);
        var silo = PlatformWorkloads.Environment(rendered, PlatformWorkloads.MainContainer(PlatformWorkloads.Silo(rendered)));
        var api = PlatformWorkloads.Environment(rendered, PlatformWorkloads.MainContainer(PlatformWorkloads.Api(rendered)));

        Assert.Empty(PlatformConfiguration.Problems(silo, PlatformConfiguration.SiloSections).Select(p => "silo: " + p)
            .Concat(PlatformConfiguration.Problems(api, PlatformConfiguration.ApiSections).Select(p => "api: " + p)));
        var settings = PlatformConfiguration.LoadSilo(rendered);
        Assert.False(settings.Kafka.UseEmbedded, "the silo's Kafka__BootstrapServers is empty: it would start the embedded cluster in the pod");
        Assert.True(settings.Redis.IsConfigured, "the silo's Redis__ConnectionString is empty: twins would live in memory and clustering on localhost");
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void ApiCredentials_SiloAndApiTakeKeyHashesFromTheSecret_NoDevelopmentKey(string overlay)
    {
        var rendered = RenderedOverlay.Of(overlay);
        foreach (var deployment in new[] { PlatformWorkloads.Silo(rendered), PlatformWorkloads.Api(rendered) })
        {
            var container = PlatformWorkloads.MainContainer(deployment);
            Assert.Contains(container.EnvFrom ?? [], source => source.SecretRef?.Name == "devicetwins-api-keys");
            var auth = new ConfigurationBuilder()
                .AddInMemoryCollection(PlatformWorkloads.Environment(rendered, container).Select(e => KeyValuePair.Create<string, string?>(e.Key.Replace("__", ":", StringComparison.Ordinal), e.Value)))
                .Build().GetSection(DeviceTwins.Api.Security.AuthOptions.SectionName).Get<DeviceTwins.Api.Security.AuthOptions>() ?? new();
            Assert.True(new DeviceTwins.Api.Security.AuthOptionsValidator().Validate(null, auth).Succeeded, deployment.Metadata.Name);
            Assert.NotEmpty(auth.ApiKeys);
            Assert.False(auth.DevelopmentKey, $"{deployment.Metadata.Name}: Auth__DevelopmentKey must be false in a cluster");
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Probes_PointAtTheHealthEndpointsOnTheApiPort(string overlay)
    {
        var rendered = RenderedOverlay.Of(overlay);
        foreach (var deployment in new[] { PlatformWorkloads.Silo(rendered), PlatformWorkloads.Api(rendered) })
        {
            var container = PlatformWorkloads.MainContainer(deployment);
            var environment = PlatformWorkloads.Environment(rendered, container);
            var urls = environment.GetValueOrDefault("Api__Urls") ?? string.Empty;
            var match = Regex.Match(urls, @"^https?://(?<host>[^:/;]+):(?<port>\d+)");
            Assert.True(match.Success, $"{deployment.Metadata.Name}: Api__Urls '{urls}' must name a host and port (the default binds 127.0.0.1:5080, unreachable for probes)");
            Assert.Contains(match.Groups["host"].Value, new[] { "0.0.0.0", "+", "*", "[::]" });
            var apiPort = int.Parse(match.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);

            foreach (var (probe, path) in new[] { (container.LivenessProbe, "/health/live"), (container.ReadinessProbe, "/health/ready"), (container.StartupProbe, "/health/startup") })
            {
                Assert.True(probe?.HttpGet is not null, $"{deployment.Metadata.Name}: the probe for {path} is missing or not an HTTP GET");
                Assert.Equal(path, probe!.HttpGet.Path);
                var port = probe.HttpGet.Port.Value;
                var number = int.TryParse(port, out var n) ? n : (container.Ports ?? []).SingleOrDefault(p => p.Name == port)?.ContainerPort;
                Assert.True(number == apiPort, $"{deployment.Metadata.Name}: the {path} probe's port {port} is not the API port {apiPort}");
                Assert.Contains(container.Ports ?? [], p => p.ContainerPort == apiPort);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Silo_TerminationGracePeriod_ExceedsItsShutdownTimeout(string overlay)
    {
        var rendered = RenderedOverlay.Of(overlay);
        var silo = PlatformWorkloads.Silo(rendered);
        var settings = PlatformConfiguration.LoadSilo(rendered);

        var grace = silo.Spec.Template.Spec.TerminationGracePeriodSeconds ?? 30;
        Assert.True(grace > settings.Silo.ShutdownTimeout.TotalSeconds, $"terminationGracePeriodSeconds {grace} must exceed Silo:ShutdownTimeout {settings.Silo.ShutdownTimeout}");
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Silo_PodTemplate_CarriesOrleansLabelsMatchingItsConfiguration(string overlay)
    {
        var rendered = RenderedOverlay.Of(overlay);
        var silo = PlatformWorkloads.Silo(rendered);
        var labels = silo.Spec.Template.Metadata?.Labels ?? new Dictionary<string, string>();
        var settings = PlatformConfiguration.LoadSilo(rendered);

        Assert.True(labels.TryGetValue("orleans/serviceId", out var serviceId), "pod label orleans/serviceId is missing");
        Assert.True(labels.TryGetValue("orleans/clusterId", out var clusterId), "pod label orleans/clusterId is missing");
        Assert.Equal(settings.Orleans.ServiceId, serviceId);
        Assert.Equal(settings.Orleans.ClusterId, clusterId);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void DisruptionBudgets_SelectAWorkloadAndAllowDrains(string overlay)
    {
        var rendered = RenderedOverlay.Of(overlay);
        var problems = new List<string>();
        foreach (var budget in rendered.OfType<V1PodDisruptionBudget>())
        {
            var workloads = PlatformWorkloads.PodTemplates(rendered).Where(p => PlatformWorkloads.Selects(budget.Spec.Selector, p.Template.Metadata?.Labels)).ToList();
            if (workloads.Count != 1)
            {
                problems.Add($"PodDisruptionBudget {budget.Metadata.Name} selects {workloads.Count} workloads");
                continue;
            }

            var (owner, replicas, _) = workloads[0];
            var minReplicas = rendered.OfType<V2HorizontalPodAutoscaler>()
                .Where(h => owner.EndsWith(" " + h.Spec.ScaleTargetRef.Name, StringComparison.Ordinal)).Select(h => h.Spec.MinReplicas ?? 1).DefaultIfEmpty(replicas).Min();
            var drains = budget.Spec.MaxUnavailable is { } max ? Allowed(max.Value, minReplicas) >= 1
                : budget.Spec.MinAvailable is { } min && Required(min.Value, minReplicas) < minReplicas;
            if (!drains)
            {
                problems.Add($"PodDisruptionBudget {budget.Metadata.Name} blocks drains of {owner} ({minReplicas} replicas)");
            }
        }

        Assert.Empty(problems);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Autoscalers_TargetAnExistingWorkload(string overlay)
    {
        var rendered = RenderedOverlay.Of(overlay);

        Assert.All(rendered.OfType<V2HorizontalPodAutoscaler>(), h => Assert.Contains(
            rendered.Objects, o => o.Kind == h.Spec.ScaleTargetRef.Kind && o.Name == h.Spec.ScaleTargetRef.Name));
    }

    public static TheoryData<string> Overlays => DeploymentEnvironment.Overlays;

    private static int Allowed(string value, int replicas) =>
        value.EndsWith('%') ? (int)Math.Floor(replicas * int.Parse(value[..^1], System.Globalization.CultureInfo.InvariantCulture) / 100.0) : int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);

    private static int Required(string value, int replicas) =>
        value.EndsWith('%') ? (int)Math.Ceiling(replicas * int.Parse(value[..^1], System.Globalization.CultureInfo.InvariantCulture) / 100.0) : int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
}
