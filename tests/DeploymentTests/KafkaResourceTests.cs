namespace DeviceTwins.DeploymentTests;

/// <summary>The Strimzi resources fit the cluster they describe and the topics the platform reads.</summary>
public sealed class KafkaResourceTests
{
    [Theory]
    [MemberData(nameof(Overlays))]
    public void Topics_Replicas_DoNotExceedBrokers(string overlay)
    {
        var rendered = RenderedOverlay.Of(overlay);
        Assert.NotEmpty(rendered.OfKind("Kafka"));
        var problems = new List<string>();
        foreach (var topic in rendered.OfKind("KafkaTopic"))
        {
            var cluster = Manifest.Label(topic.Raw, "strimzi.io/cluster");
            var brokers = rendered.OfKind("KafkaNodePool")
                .Where(p => Manifest.Label(p.Raw, "strimzi.io/cluster") == cluster && Manifest.At(p.Raw, "spec", "roles") is IList<object?> roles && roles.Contains("broker"))
                .Sum(p => Manifest.Int(p.Raw, "spec", "replicas") ?? 0);
            var replicas = Manifest.Int(topic.Raw, "spec", "replicas") ?? 0;
            if (replicas < 1 || replicas > brokers)
            {
                problems.Add($"KafkaTopic {topic.Name}: {replicas} replicas for {brokers} brokers of cluster {cluster}");
            }
        }

        Assert.Empty(problems);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Topics_EveryTopicThePlatformUses_IsDeclared(string overlay)
    {
        var rendered = RenderedOverlay.Of(overlay);
        var settings = PlatformConfiguration.LoadSilo(rendered);
        var declared = TopicNames(rendered).Keys;
        var used = settings.Kafka.TelemetryTopicList.Append(settings.Kafka.DeadLetterTopic).Append(settings.Kafka.AlertsTopic).Append(settings.Kafka.AggregatesTopic)
            .Append(settings.Kafka.DesiredTopic).Append(settings.Kafka.AuditTopic).Append(settings.Kafka.CommandsTopic).Append(settings.Kafka.CommandEventsTopic);

        Assert.Empty(used.Except(declared));
    }

    [Fact]
    public void Prod_TelemetryTopics_HaveAtLeast100Partitions()
    {
        var rendered = RenderedOverlay.Of("prod");
        var settings = PlatformConfiguration.LoadSilo(rendered);
        var topics = TopicNames(rendered);

        Assert.All(settings.Kafka.TelemetryTopicList, name =>
        {
            Assert.True(topics.TryGetValue(name, out var topic), $"telemetry topic {name} has no KafkaTopic");
            Assert.True(Manifest.Int(topic!.Raw, "spec", "partitions") >= 100, $"{name} has {Manifest.Int(topic.Raw, "spec", "partitions")} partitions; prod needs 100 or more");
        });
    }

    public static TheoryData<string> Overlays => DeploymentEnvironment.Overlays;

    private static Dictionary<string, ManifestObject> TopicNames(RenderedOverlay rendered) =>
        rendered.OfKind("KafkaTopic").ToDictionary(t => Manifest.At(t.Raw, "spec", "topicName") as string ?? t.Name, StringComparer.Ordinal);
}
