using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.Serialization;

namespace DeviceTwins.DeploymentTests;

/// <summary>The dashboard and alert rules in deploy/observability use only series the platform exports, and both rule files agree.</summary>
public sealed partial class ObservabilityTests
{
    private static readonly string Folder = Path.Combine(DeploymentEnvironment.RepositoryRoot, "deploy", "observability");

    [Fact]
    public void DashboardAndRules_DeviceTwinsSeries_AreExportedByThePlatform()
    {
        var exported = ExportedSeries();
        var dashboard = File.ReadAllText(Path.Combine(Folder, "grafana-dashboard.json"));
        using var parsed = JsonDocument.Parse(dashboard);
        var rules = File.ReadAllText(Path.Combine(Folder, "prometheus-rules.yml"));

        var used = SeriesName().Matches(dashboard + rules).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);

        Assert.Contains("devicetwins_alerts_producer_errors_total", exported);
        Assert.Empty(used.Except(exported));
        Assert.Empty(new[] { "devicetwins_kafka_consumer_lag", "devicetwins_twins_end_to_end_latency_seconds_bucket", "devicetwins_alerts_latency_seconds_bucket",
            "devicetwins_twins_write_duration_seconds_bucket", "devicetwins_alerts_published_total", "devicetwins_twins_active",
            "devicetwins_kafka_commit_failures_total", "devicetwins_kafka_records_dead_lettered_total", "devicetwins_twins_records_late_total",
            "devicetwins_twins_turn_duration_seconds_bucket", "devicetwins_twins_publish_stage_duration_seconds_bucket",
            "devicetwins_twins_intake_duration_seconds_bucket" }.Except(used));
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public void PodMonitor_SelectsTheSiloPods_OnAPortTheyExpose(string name)
    {
        var deserializer = new DeserializerBuilder().Build();
        var monitor = (IReadOnlyDictionary<string, object?>)RenderedOverlay.Generic(deserializer.Deserialize<object>(File.ReadAllText(Path.Combine(Folder, "podmonitor.yaml"))))!;
        Assert.Empty(CustomResourceSchemas.Find("monitoring.coreos.com/v1", "PodMonitor")!.Check(monitor));

        var silo = PlatformWorkloads.Silo(RenderedOverlay.Of(name));
        var labels = (IReadOnlyDictionary<string, object?>)Manifest.At(monitor, "spec", "selector", "matchLabels")!;
        Assert.All(labels, l => Assert.Equal(l.Value as string, silo.Spec.Template.Metadata.Labels[l.Key]));
        var endpoint = ((IList<object?>)Manifest.At(monitor, "spec", "podMetricsEndpoints")!).Cast<IReadOnlyDictionary<string, object?>>().Single();
        Assert.Contains(PlatformWorkloads.MainContainer(silo).Ports, p => p.Name == (string)endpoint["port"]!);
        Assert.Equal("/metrics", endpoint["path"]);
    }

    [Fact]
    public void PrometheusRule_SameGroupsAsThePlainRulesFile_AndMatchesItsSchema()
    {
        var deserializer = new DeserializerBuilder().Build();
        var plain = (IReadOnlyDictionary<string, object?>)RenderedOverlay.Generic(deserializer.Deserialize<object>(File.ReadAllText(Path.Combine(Folder, "prometheus-rules.yml"))))!;
        var resource = (IReadOnlyDictionary<string, object?>)RenderedOverlay.Generic(deserializer.Deserialize<object>(File.ReadAllText(Path.Combine(Folder, "prometheusrule.yaml"))))!;

        Assert.Empty(CustomResourceSchemas.Find("monitoring.coreos.com/v1", "PrometheusRule")!.Check(resource));
        Assert.Equal(JsonSerializer.Serialize(plain["groups"]), JsonSerializer.Serialize(Manifest.At(resource, "spec", "groups")));
        var alerts = ((IList<object?>)plain["groups"]!).Cast<IReadOnlyDictionary<string, object?>>()
            .SelectMany(g => ((IList<object?>)g["rules"]!).Cast<IReadOnlyDictionary<string, object?>>()).Select(r => r["alert"] as string).ToList();
        Assert.Equal(alerts.Count, alerts.Distinct().Count());
        Assert.Superset(new HashSet<string?> { "DeviceTwinsConsumerLagGrowing", "DeviceTwinsKafkaBrokerDown", "DeviceTwinsCommitFailures", "DeviceTwinsDeadLetterRate", "DeviceTwinsPublishFailures", "DeviceTwinsProducerErrors" }.ToHashSet(), alerts.ToHashSet());
    }

    /// <summary>
    /// The Prometheus series of the platform's meters, derived from their instrument declarations as the OpenTelemetry
    /// Prometheus exporter names them: dots to underscores, unit "s" appended as _seconds, counters with _total,
    /// histograms as _bucket, _sum and _count; annotation units ("{record}") add nothing.
    /// </summary>
    private static HashSet<string> ExportedSeries()
    {
        var series = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in new[] { "src/Streaming.Kafka/Providers/KafkaStreamingMetrics.cs", "src/Grains/Diagnostics/TwinMetrics.cs" })
        {
            foreach (Match m in Instrument().Matches(File.ReadAllText(Path.Combine(DeploymentEnvironment.RepositoryRoot, file))))
            {
                var name = m.Groups["name"].Value.Replace('.', '_') + (m.Groups["unit"].Value == "s" ? "_seconds" : string.Empty);
                switch (m.Groups["kind"].Value)
                {
                    case "Counter":
                        series.Add(name + "_total");
                        break;
                    case "Histogram":
                        // The family name too, as descriptions name it.
                        series.UnionWith([name, name + "_bucket", name + "_sum", name + "_count"]);
                        break;
                    default:
                        series.Add(name);
                        break;
                }
            }
        }

        Assert.True(series.Count >= 15, "the instrument declarations were not found: " + string.Join(", ", series));
        return series;
    }

    [GeneratedRegex(@"Create(?:Observable)?(?<kind>Counter|Histogram|UpDownCounter|Gauge)(?:<\w+>)?\(\s*""(?<name>devicetwins\.[a-z_.]+)""(?:\s*,\s*[^,""]+)?\s*,\s*""(?<unit>[^""]*)""")]
    private static partial Regex Instrument();

    [GeneratedRegex(@"devicetwins_[a-z_]+")]
    private static partial Regex SeriesName();
}
