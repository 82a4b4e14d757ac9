using System.Text;
using k8s.Models;

namespace DeviceTwins.DeploymentTests;

/// <summary>The silo and API Deployments of a rendered overlay and their containers' resolved environment.</summary>
internal static class PlatformWorkloads
{
    /// <summary>The silo Deployment: the one whose name contains "silo".</summary>
    public static V1Deployment Silo(RenderedOverlay overlay) => Single(overlay, "silo");

    /// <summary>The stand-alone API Deployment: the one whose name contains "api".</summary>
    public static V1Deployment Api(RenderedOverlay overlay) => Single(overlay, "api");

    /// <summary>The MQTT bridge Deployment: the one whose name contains "mqtt".</summary>
    public static V1Deployment Mqtt(RenderedOverlay overlay) => Single(overlay, "mqtt");

    /// <summary>The DeviceTwins container of a Deployment (the first; sidecars come after it).</summary>
    public static V1Container MainContainer(V1Deployment deployment) => deployment.Spec.Template.Spec.Containers[0];

    /// <summary>
    /// The container's environment as the process would see it: envFrom ConfigMaps and Secrets, then env (later wins);
    /// fieldRef values get stand-ins (a pod IP, name and namespace), as they only exist in a running pod.
    /// </summary>
    public static Dictionary<string, string> Environment(RenderedOverlay overlay, V1Container container)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in container.EnvFrom ?? [])
        {
            var prefix = source.Prefix ?? string.Empty;
            var data = source.ConfigMapRef is { } configMap ? ConfigMapData(overlay, configMap.Name)
                : source.SecretRef is { } secret ? SecretData(overlay, secret.Name)
                : throw new InvalidOperationException($"envFrom of {container.Name} names neither a ConfigMap nor a Secret.");
            foreach (var (key, value) in data)
            {
                environment[prefix + key] = value;
            }
        }

        foreach (var variable in container.Env ?? [])
        {
            environment[variable.Name] = variable.Value is { } value ? Expand(value, environment) : variable.ValueFrom switch
            {
                { ConfigMapKeyRef: { } r } => ConfigMapData(overlay, r.Name).GetValueOrDefault(r.Key) ?? throw Missing("ConfigMap", r.Name, r.Key),
                { SecretKeyRef: { } r } when StrimziUserSecret(overlay, r.Name, r.Key) => "strimzi-generated",
                { SecretKeyRef: { } r } when OperatorSecrets.Contains(r.Name) && !overlay.OfType<V1Secret>().Any(s => s.Metadata.Name == r.Name) => "operator-provided",
                { SecretKeyRef: { } r } => SecretData(overlay, r.Name).GetValueOrDefault(r.Key) ?? throw Missing("Secret", r.Name, r.Key),
                { FieldRef.FieldPath: "status.podIP" } => "10.0.0.10",
                { FieldRef.FieldPath: "metadata.name" } => "devicetwins-pod-0",
                { FieldRef.FieldPath: "metadata.namespace" } => "devicetwins",
                { FieldRef: { } r } => r.FieldPath,
                { ResourceFieldRef: { } r } => "1",
                _ => string.Empty,
            };
        }

        return environment;
    }

    // Kubernetes expands $(NAME) in a value from the variables defined before it; $$ stands for a literal $.
    private static string Expand(string value, Dictionary<string, string> defined) =>
        System.Text.RegularExpressions.Regex.Replace(value, @"\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)", m =>
            m.Value == "$$" ? "$" : defined.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Value);

    // Secrets the operator creates at install (README, "Deploy to Kubernetes"): the MQTT bridge's TLS certificate.
    private static readonly HashSet<string> OperatorSecrets = new(StringComparer.Ordinal) { "devicetwins-mqtt-tls" };

    // The Secret Strimzi's user operator creates for a KafkaUser (named after it, key "password"); not in the overlay.
    private static bool StrimziUserSecret(RenderedOverlay overlay, string name, string key) =>
        key == "password" && overlay.OfKind("KafkaUser").Any(u => u.Name == name) && !overlay.OfType<V1Secret>().Any(s => s.Metadata.Name == name);

    public static IReadOnlyDictionary<string, string> ConfigMapData(RenderedOverlay overlay, string name) =>
        overlay.OfType<V1ConfigMap>().SingleOrDefault(c => c.Metadata.Name == name)?.Data?.ToDictionary(e => e.Key, e => e.Value)
        ?? throw new InvalidOperationException($"ConfigMap {name} is not in the rendered overlay {overlay.Name}.");

    public static IReadOnlyDictionary<string, string> SecretData(RenderedOverlay overlay, string name)
    {
        var secret = overlay.OfType<V1Secret>().SingleOrDefault(s => s.Metadata.Name == name)
            ?? throw new InvalidOperationException($"Secret {name} is not in the rendered overlay {overlay.Name}.");
        var data = (secret.Data ?? new Dictionary<string, byte[]>()).ToDictionary(e => e.Key, e => Encoding.UTF8.GetString(e.Value));
        foreach (var (key, value) in secret.StringData ?? new Dictionary<string, string>())
        {
            data[key] = value;
        }

        return data;
    }

    /// <summary>Whether <paramref name="selector"/> (matchLabels and matchExpressions) selects <paramref name="labels"/>.</summary>
    public static bool Selects(V1LabelSelector selector, IDictionary<string, string>? labels)
    {
        labels ??= new Dictionary<string, string>();
        var byLabels = (selector.MatchLabels ?? new Dictionary<string, string>()).All(m => labels.TryGetValue(m.Key, out var v) && v == m.Value);
        var byExpressions = (selector.MatchExpressions ?? []).All(e => e.OperatorProperty switch
        {
            "In" => labels.TryGetValue(e.Key, out var v) && e.Values.Contains(v),
            "NotIn" => !labels.TryGetValue(e.Key, out var v) || !e.Values.Contains(v),
            "Exists" => labels.ContainsKey(e.Key),
            "DoesNotExist" => !labels.ContainsKey(e.Key),
            _ => false,
        });
        return byLabels && byExpressions && ((selector.MatchLabels?.Count ?? 0) + (selector.MatchExpressions?.Count ?? 0)) > 0;
    }

    /// <summary>Pod templates of every workload of the overlay, with their owner's name and replicas.</summary>
    public static IEnumerable<(string Owner, int Replicas, V1PodTemplateSpec Template)> PodTemplates(RenderedOverlay overlay) =>
        overlay.OfType<V1Deployment>().Select(d => ($"Deployment {d.Metadata.Name}", d.Spec.Replicas ?? 1, d.Spec.Template))
            .Concat(overlay.OfType<V1StatefulSet>().Select(s => ($"StatefulSet {s.Metadata.Name}", s.Spec.Replicas ?? 1, s.Spec.Template)))
            .Concat(overlay.OfType<V1Job>().Select(j => ($"Job {j.Metadata.Name}", 1, j.Spec.Template)));

    private static V1Deployment Single(RenderedOverlay overlay, string part)
    {
        var matches = overlay.OfType<V1Deployment>().Where(d => d.Metadata.Name.Contains(part, StringComparison.OrdinalIgnoreCase)).ToList();
        return matches.Count == 1
            ? matches[0]
            : throw new InvalidOperationException($"k8s/overlays/{overlay.Name} has {matches.Count} Deployments named *{part}*, expected one: {string.Join(", ", overlay.OfType<V1Deployment>().Select(d => d.Metadata.Name))}");
    }

    private static InvalidOperationException Missing(string kind, string name, string key) => new($"{kind} {name} has no key {key}.");
}
