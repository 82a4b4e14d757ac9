namespace DeviceTwins.DeploymentTests;

/// <summary>
/// Field whitelists for the custom resources the manifests use, taken from the properties of their CRD schemas
/// (Strimzi kafka.strimzi.io/v1, where KRaft node pools are the only mode and spec.zookeeper, spec.kafka.replicas and
/// spec.kafka.storage no longer exist; Prometheus Operator monitoring.coreos.com/v1). A misspelled or removed field fails.
/// </summary>
internal static class CustomResourceSchemas
{
    private static readonly Field Metadata = Field.Free();

    private static readonly Field Template = Field.Free();

    private static readonly Dictionary<string, CustomResourceSchema> Schemas = new(StringComparer.Ordinal)
    {
        ["kafka.strimzi.io/v1/Kafka"] = new(Field.Object(
            Required: ["kafka"],
            ("kafka", Field.Object(
                Required: ["listeners"],
                ("version", Field.Leaf), ("metadataVersion", Field.Leaf), ("image", Field.Leaf),
                ("listeners", Field.ListOf(Field.Object(
                    Required: ["name", "port", "type", "tls"],
                    ("name", Field.Leaf), ("port", Field.Leaf), ("type", Field.Leaf), ("tls", Field.Leaf),
                    ("authentication", Field.Free()), ("configuration", Field.Free()), ("networkPolicyPeers", Field.Free())))),
                ("config", Field.Free()), ("authorization", Field.Free()), ("rack", Field.Free()), ("brokerRackInitImage", Field.Leaf),
                ("livenessProbe", Field.Free()), ("readinessProbe", Field.Free()), ("jvmOptions", Field.Free()), ("jmxOptions", Field.Free()),
                ("resources", Field.Free()), ("metricsConfig", Field.Free()), ("logging", Field.Free()), ("template", Template),
                ("tieredStorage", Field.Free()), ("quotas", Field.Free()))),
            ("entityOperator", Field.Object(
                Required: [],
                ("topicOperator", Field.Free()), ("userOperator", Field.Free()), ("tlsSidecar", Field.Free()), ("template", Template))),
            ("clusterCa", Field.Free()), ("clientsCa", Field.Free()), ("cruiseControl", Field.Free()),
            ("kafkaExporter", Field.Free()), ("maintenanceTimeWindows", Field.Free()))),
        ["kafka.strimzi.io/v1/KafkaNodePool"] = new(Field.Object(
            Required: ["replicas", "roles", "storage"],
            ("replicas", Field.Leaf), ("roles", Field.ListOf(Field.Leaf)), ("storage", Field.Free()), ("resources", Field.Free()),
            ("jvmOptions", Field.Free()), ("template", Template)), RequiresClusterLabel: true),
        ["kafka.strimzi.io/v1/KafkaTopic"] = new(Field.Object(
            Required: ["partitions", "replicas"],
            ("partitions", Field.Leaf), ("replicas", Field.Leaf), ("config", Field.Free()), ("topicName", Field.Leaf)), RequiresClusterLabel: true),
        ["kafka.strimzi.io/v1/KafkaUser"] = new(Field.Object(
            Required: [],
            ("authentication", Field.Free()), ("authorization", Field.Free()), ("quotas", Field.Free()), ("template", Template)), RequiresClusterLabel: true),
        ["monitoring.coreos.com/v1/PrometheusRule"] = new(Field.Object(
            Required: ["groups"],
            ("groups", Field.ListOf(Field.Object(
                Required: ["name", "rules"],
                ("name", Field.Leaf), ("interval", Field.Leaf), ("limit", Field.Leaf), ("query_offset", Field.Leaf),
                ("partial_response_strategy", Field.Leaf), ("labels", Field.Free()),
                ("rules", Field.ListOf(Field.Object(
                    Required: ["expr"],
                    ("alert", Field.Leaf), ("record", Field.Leaf), ("expr", Field.Leaf), ("for", Field.Leaf),
                    ("keep_firing_for", Field.Leaf), ("labels", Field.Free()), ("annotations", Field.Free()))))))))),
        ["monitoring.coreos.com/v1/PodMonitor"] = new(Field.Object(
            Required: ["selector"],
            ("selector", Field.Free()), ("namespaceSelector", Field.Free()), ("podMetricsEndpoints", Field.Free()), ("jobLabel", Field.Leaf),
            ("podTargetLabels", Field.Free()), ("sampleLimit", Field.Leaf))),
        ["monitoring.coreos.com/v1/ServiceMonitor"] = new(Field.Object(
            Required: ["selector", "endpoints"],
            ("selector", Field.Free()), ("namespaceSelector", Field.Free()), ("endpoints", Field.Free()), ("jobLabel", Field.Leaf),
            ("targetLabels", Field.Free()), ("podTargetLabels", Field.Free()), ("sampleLimit", Field.Leaf))),
    };

    public static CustomResourceSchema? Find(string apiVersion, string kind) => Schemas.GetValueOrDefault($"{apiVersion}/{kind}");

    /// <summary>
    /// A node of a whitelist: a leaf (any scalar), free-form (anything below), an object with its allowed and required
    /// keys, or a list of one item shape.
    /// </summary>
    internal sealed record Field(IReadOnlyDictionary<string, Field>? Properties, IReadOnlyList<string> RequiredKeys, Field? Item, bool IsFree, bool IsLeaf)
    {
        public static Field Leaf { get; } = new(null, [], null, false, true);

        public static Field Free() => new(null, [], null, true, false);

        public static Field Object(string[] Required, params (string Name, Field Field)[] properties) =>
            new(properties.ToDictionary(p => p.Name, p => p.Field, StringComparer.Ordinal), Required, null, false, false);

        public static Field ListOf(Field item) => new(null, [], item, false, false);

        public void Check(object? value, string path, List<string> problems)
        {
            if (IsFree)
            {
                return;
            }

            if (IsLeaf)
            {
                if (value is IReadOnlyDictionary<string, object?> or IList<object?>)
                {
                    problems.Add($"{path} must be a scalar");
                }

                return;
            }

            if (Item is not null)
            {
                if (value is not IList<object?> list)
                {
                    problems.Add($"{path} must be a list");
                    return;
                }

                for (var i = 0; i < list.Count; i++)
                {
                    Item.Check(list[i], $"{path}[{i}]", problems);
                }

                return;
            }

            if (value is not IReadOnlyDictionary<string, object?> map)
            {
                problems.Add($"{path} must be a mapping");
                return;
            }

            foreach (var key in map.Keys)
            {
                if (!Properties!.TryGetValue(key, out var field))
                {
                    problems.Add($"{path}.{key} is not a field of the schema");
                }
                else
                {
                    field.Check(map[key], $"{path}.{key}", problems);
                }
            }

            problems.AddRange(RequiredKeys.Where(k => !map.ContainsKey(k)).Select(k => $"{path}.{k} is required"));
        }
    }

    /// <summary>A custom resource's whitelist for spec, and whether it must name its Strimzi cluster (label strimzi.io/cluster).</summary>
    internal sealed record CustomResourceSchema(Field Spec, bool RequiresClusterLabel = false)
    {
        public IReadOnlyList<string> Check(IReadOnlyDictionary<string, object?> resource)
        {
            var problems = new List<string>();
            foreach (var key in resource.Keys.Where(k => k is not ("apiVersion" or "kind" or "metadata" or "spec")))
            {
                problems.Add($"{key} is not a top-level field");
            }

            Metadata.Check(resource.GetValueOrDefault("metadata"), "metadata", problems);
            if (!resource.TryGetValue("spec", out var spec))
            {
                problems.Add("spec is required");
            }
            else
            {
                Spec.Check(spec, "spec", problems);
            }

            if (RequiresClusterLabel && Manifest.Label(resource, "strimzi.io/cluster") is null)
            {
                problems.Add("metadata.labels.strimzi.io/cluster is required");
            }

            return problems;
        }
    }
}
