using k8s.Models;

namespace DeviceTwins.DeploymentTests;

/// <summary>
/// Production reaches Kafka on a TLS listener with SCRAM-SHA-512 logins and simple authorization; each workload logs in
/// as its own KafkaUser, whose ACLs are exactly what the topics and group in its configuration need.
/// </summary>
public sealed class KafkaSecurityManifestTests
{
    private readonly RenderedOverlay _prod = RenderedOverlay.Of("prod");

    [Fact]
    public void Prod_Silo_LogsInAsItsUser_WithExactlyTheAclsOfItsTopicsAndGroup()
    {
        var kafka = PlatformConfiguration.LoadSilo(_prod).Kafka;
        var expected = kafka.TelemetryTopicList.Select(t => Acl("topic", t, "Describe", "Read"))
            .Append(Acl("group", kafka.ConsumerGroup, "Read"))
            .Concat(new[] { kafka.AlertsTopic, kafka.AggregatesTopic, kafka.DesiredTopic, kafka.AuditTopic, kafka.CommandsTopic, kafka.CommandEventsTopic, kafka.DeadLetterTopic }.Select(t => Acl("topic", t, "Describe", "Write")));

        var user = LoginOf(PlatformWorkloads.MainContainer(PlatformWorkloads.Silo(_prod)));

        Assert.Equal(expected.Order(StringComparer.Ordinal), AclsOf(user));
    }

    [Fact]
    public void Prod_Api_LogsInAsItsUser_AndMayOnlyReadTheAlertsTopic()
    {
        var container = PlatformWorkloads.MainContainer(PlatformWorkloads.Api(_prod));
        var environment = PlatformWorkloads.Environment(_prod, container);

        var user = LoginOf(container);

        Assert.Equal([Acl("topic", environment["Kafka__AlertsTopic"], "Describe", "Read")], AclsOf(user));
    }

    [Fact]
    public void Prod_MqttBridge_LogsInAsItsUser_WritesTelemetryAndDeadLetters_ReadsCommandsOnly()
    {
        var kafka = PlatformConfiguration.LoadSilo(_prod).Kafka;
        var expected = new[]
        {
            Acl("topic", kafka.TelemetryTopicList[0], "Describe", "Write"),
            Acl("topic", kafka.DeadLetterTopic, "Describe", "Write"),
            Acl("topic", kafka.CommandsTopic, "Describe", "Read"),
        };

        var user = LoginOf(PlatformWorkloads.MainContainer(PlatformWorkloads.Mqtt(_prod)));

        Assert.Equal(expected.Order(StringComparer.Ordinal), AclsOf(user));
    }

    [Fact]
    public void Prod_Listener_IsTlsWithScram_AndMatchesWhatEveryClientSpeaks()
    {
        var cluster = Assert.Single(_prod.OfKind("Kafka"));
        var listeners = ((IList<object?>)Manifest.At(cluster.Raw, "spec", "kafka", "listeners")!).Cast<IReadOnlyDictionary<string, object?>>().ToList();
        Assert.Equal("simple", Manifest.At(cluster.Raw, "spec", "kafka", "authorization", "type"));
        Assert.All(listeners, l => Assert.Equal("true", Manifest.At(l, "tls")));

        foreach (var container in new[] { PlatformWorkloads.Silo(_prod), PlatformWorkloads.Api(_prod), PlatformWorkloads.Mqtt(_prod) }.Select(d => (d, PlatformWorkloads.MainContainer(d))))
        {
            var environment = PlatformWorkloads.Environment(_prod, container.Item2);
            var port = environment["Kafka__BootstrapServers"].Split(':')[1];
            var listener = Assert.Single(listeners, l => Manifest.At(l, "port") as string == port);
            Assert.Equal("scram-sha-512", Manifest.At(listener, "authentication", "type"));
            Assert.Equal(("SaslSsl", "ScramSha512"), (environment["Kafka__Security__Protocol"], environment["Kafka__Security__SaslMechanism"]));

            // The CA file lies in a volume of the Secret Strimzi keeps for the cluster CA.
            var ca = environment["Kafka__Security__CaLocation"];
            var mount = Assert.Single(container.Item2.VolumeMounts ?? [], m => ca.StartsWith(m.MountPath.TrimEnd('/') + "/", StringComparison.Ordinal));
            var volume = Assert.Single(container.d.Spec.Template.Spec.Volumes, v => v.Name == mount.Name);
            Assert.Equal($"{cluster.Name}-cluster-ca-cert", volume.Secret?.SecretName);
        }
    }

    // The user a container logs in as, after checking that its password comes from the Secret Strimzi creates for that user.
    private string LoginOf(V1Container container)
    {
        var user = PlatformWorkloads.Environment(_prod, container)["Kafka__Security__Username"];
        var password = Assert.Single(container.Env ?? [], e => e.Name == "Kafka__Security__Password").ValueFrom?.SecretKeyRef;
        Assert.Equal((user, "password"), (password?.Name, password?.Key));
        var kafkaUser = Assert.Single(_prod.OfKind("KafkaUser"), u => u.Name == user);
        Assert.Equal("scram-sha-512", Manifest.At(kafkaUser.Raw, "spec", "authentication", "type"));
        return user;
    }

    private List<string> AclsOf(string user)
    {
        var kafkaUser = _prod.OfKind("KafkaUser").Single(u => u.Name == user);
        Assert.Equal("simple", Manifest.At(kafkaUser.Raw, "spec", "authorization", "type"));
        return [.. ((IList<object?>)Manifest.At(kafkaUser.Raw, "spec", "authorization", "acls")!).Cast<IReadOnlyDictionary<string, object?>>()
            .Select(a => Acl(
                (string)Manifest.At(a, "resource", "type")!,
                (string)Manifest.At(a, "resource", "name")! + (Manifest.At(a, "resource", "patternType") as string == "literal" ? string.Empty : " (" + Manifest.At(a, "resource", "patternType") + ")"),
                [.. ((IList<object?>)Manifest.At(a, "operations")!).Cast<string>()]))
            .Order(StringComparer.Ordinal)];
    }

    private static string Acl(string type, string name, params string[] operations) =>
        $"{type} {name}: {string.Join(", ", operations.Order(StringComparer.Ordinal))}";
}
