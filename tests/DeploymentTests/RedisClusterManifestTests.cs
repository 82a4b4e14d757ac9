using k8s.Models;

namespace DeviceTwins.DeploymentTests;

/// <summary>The prod overlay's twin store: a Redis Cluster of three masters with a replica each, which the silos and the API use as one.</summary>
public sealed class RedisClusterManifestTests
{
    private readonly RenderedOverlay _prod = RenderedOverlay.Of("prod");

    [Fact]
    public void Prod_Redis_SixClusterNodes_AnnouncingTheirPodNames_SpreadOverNodes()
    {
        var redis = Assert.Single(_prod.OfType<V1StatefulSet>(), s => s.Metadata.Name == "redis");
        Assert.Equal(6, redis.Spec.Replicas);
        var container = Assert.Single(redis.Spec.Template.Spec.Containers);
        var args = container.Args.ToList();
        Assert.Equal("yes", args[args.IndexOf("--cluster-enabled") + 1]);
        Assert.Equal("/data/nodes.conf", args[args.IndexOf("--cluster-config-file") + 1]);
        Assert.Equal("$(POD_NAME).redis", args[args.IndexOf("--cluster-announce-hostname") + 1]);
        Assert.Equal("metadata.name", container.Env.Single(e => e.Name == "POD_NAME").ValueFrom.FieldRef.FieldPath);
        Assert.Contains(container.Ports, p => p.ContainerPort == 16379);
        Assert.Equal("kubernetes.io/hostname", redis.Spec.Template.Spec.Affinity.PodAntiAffinity.PreferredDuringSchedulingIgnoredDuringExecution.Single().PodAffinityTerm.TopologyKey);
        Assert.True(_prod.OfType<V1Service>().Single(s => s.Metadata.Name == "redis").Spec.PublishNotReadyAddresses);
    }

    [Fact]
    public void Prod_InitJob_CreatesThreeMastersWithAReplicaEach_FromEveryPod_OnceOnly()
    {
        var job = Assert.Single(_prod.OfType<V1Job>(), j => j.Metadata.Name == "redis-cluster-init");
        var script = string.Join("\n", job.Spec.Template.Spec.Containers.Single().Command);
        Assert.Contains("for i in 0 1 2 3 4 5; do", script, StringComparison.Ordinal);
        Assert.Contains("redis-$i.redis", script, StringComparison.Ordinal);
        Assert.Contains("--cluster create $nodes --cluster-replicas 1 --cluster-yes", script, StringComparison.Ordinal);
        Assert.Contains("cluster_state:ok", script, StringComparison.Ordinal);
    }

    [Fact]
    public void Prod_SiloAndApi_UseTheClusterLayout_WithEveryNode()
    {
        var redis = _prod.OfType<V1StatefulSet>().Single(s => s.Metadata.Name == "redis");
        var nodes = Enumerable.Range(0, redis.Spec.Replicas ?? 1).Select(i => $"redis-{i}.redis:6379");
        foreach (var workload in new[] { PlatformWorkloads.Silo(_prod), PlatformWorkloads.Api(_prod) })
        {
            var environment = PlatformWorkloads.Environment(_prod, PlatformWorkloads.MainContainer(workload));
            Assert.Equal("true", environment["Redis__Cluster"]);
            Assert.Equal(nodes, environment["Redis__ConnectionString"].Split(','));
        }

        Assert.True(PlatformConfiguration.LoadSilo(_prod).Redis.Cluster);
    }

    [Fact]
    public void Prod_NetworkPolicy_OpensTheClusterBusBetweenNodes_AndTheClientPortToTheInitJob()
    {
        var policy = _prod.OfType<V1NetworkPolicy>().Single(p => p.Metadata.Name == "redis");
        var redisPods = _prod.OfType<V1StatefulSet>().Single(s => s.Metadata.Name == "redis").Spec.Template.Metadata.Labels;
        var initPods = _prod.OfType<V1Job>().Single(j => j.Metadata.Name == "redis-cluster-init").Spec.Template.Metadata.Labels;
        bool Allows(IDictionary<string, string> labels, int port) => policy.Spec.Ingress.Any(rule =>
            rule.Ports.Any(p => p.Port.Value == port.ToString(System.Globalization.CultureInfo.InvariantCulture))
            && rule.FromProperty.Any(from => from.PodSelector is { } selector && PlatformWorkloads.Selects(selector, labels)));
        Assert.True(Allows(redisPods, 16379));
        Assert.True(Allows(redisPods, 6379));
        Assert.True(Allows(initPods, 6379));
        Assert.False(Allows(initPods, 16379));
        Assert.True(Allows(PlatformWorkloads.Silo(_prod).Spec.Template.Metadata.Labels, 6379));
    }
}
