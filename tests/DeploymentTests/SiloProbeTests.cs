using System.Net;
using DeviceTwins.Testing;

namespace DeviceTwins.DeploymentTests;

/// <summary>
/// The real silo process started with the dev overlay's environment (what its pod would get), only the endpoints
/// moved to this machine: Kafka to the embedded cluster, Redis to the test server, the API and Orleans to free ports,
/// a fresh Orleans service id. Its probes' paths must answer 200 as Kubernetes expects.
/// </summary>
public sealed class SiloProbeTests
{
    [Fact]
    public async Task DevSilo_WithTheOverlaysEnvironment_AnswersItsProbes()
    {
        var rendered = RenderedOverlay.Of("dev");
        var container = PlatformWorkloads.MainContainer(PlatformWorkloads.Silo(rendered));
        var environment = PlatformWorkloads.Environment(rendered, container);
        var probes = new[] { container.StartupProbe, container.LivenessProbe, container.ReadinessProbe }.Select(p => p?.HttpGet?.Path ?? "/health/startup").Distinct().ToList();

        var directory = Directory.CreateTempSubdirectory("devicetwins-deploy-").FullName;
        await using var kafka = PlatformProcess.Start(DeploymentEnvironment.SiloAssembly, "embedded-kafka", directory, new Dictionary<string, string>(), "embedded-kafka");
        var bootstrapFile = Path.Combine(directory, ".devicetwins", "bootstrap.servers");
        await Eventually.Until(() => Task.FromResult(File.Exists(bootstrapFile) || kafka.HasExited), ready => ready, TimeSpan.FromSeconds(60), _ => kafka.Describe());
        Assert.True(File.Exists(bootstrapFile), kafka.Describe());

        var serviceId = "deploy-" + Guid.NewGuid().ToString("N")[..10];
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{DeploymentEnvironment.FreePort()}"), Timeout = TimeSpan.FromSeconds(10) };
        var overrides = new Dictionary<string, string>
        {
            ["Kafka__BootstrapServers"] = (await File.ReadAllTextAsync(bootstrapFile)).Trim(),
            ["Redis__ConnectionString"] = DeploymentEnvironment.Redis,
            ["Api__Urls"] = http.BaseAddress.ToString().TrimEnd('/'),
            ["Orleans__SiloPort"] = DeploymentEnvironment.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orleans__GatewayPort"] = DeploymentEnvironment.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            // Several silos share this machine: each MQTT bridge takes a free port rather than 1883.
            ["Mqtt__Port"] = "0",
            ["Orleans__AdvertisedIpAddress"] = "127.0.0.1",
            ["Orleans__ServiceId"] = serviceId,
            ["Orleans__ClusterId"] = serviceId,
        };
        foreach (var (key, value) in overrides)
        {
            environment[key] = value;
        }

        // Orleans' Kubernetes hosting stays off: this process is not in a pod (no KUBERNETES_SERVICE_HOST).
        environment.Remove("ORLEANS_SERVICE_ID");
        environment.Remove("ORLEANS_CLUSTER_ID");
        await using var silo = PlatformProcess.Start(DeploymentEnvironment.SiloAssembly, "silo", directory, environment);

        foreach (var path in probes)
        {
            var status = await Eventually.Until(
                async () =>
                {
                    try
                    {
                        using var response = await http.GetAsync(path);
                        return silo.HasExited ? HttpStatusCode.Gone : response.StatusCode;
                    }
                    catch (HttpRequestException)
                    {
                        return silo.HasExited ? HttpStatusCode.Gone : HttpStatusCode.ServiceUnavailable;
                    }
                },
                s => s is HttpStatusCode.OK or HttpStatusCode.Gone,
                TimeSpan.FromSeconds(120),
                s => $"{path} answering 200; last {s}\n{silo.Describe()}");
            Assert.True(status == HttpStatusCode.OK, $"{path}: the silo exited\n{silo.Describe()}");
        }
    }
}
