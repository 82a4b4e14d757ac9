using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using YamlDotNet.Serialization;

namespace DeviceTwins.DeploymentTests;

/// <summary>One document of a rendered overlay: its identity, its YAML, and the object loaded from it.</summary>
internal sealed record ManifestObject(string ApiVersion, string Kind, string Name, string Yaml, object Typed, IReadOnlyDictionary<string, object?> Raw);

/// <summary>
/// An overlay rendered with <c>kustomize build</c>, split into documents, every built-in kind loaded strictly with the
/// Kubernetes client (an unknown or misspelled field throws) and custom resources checked against <see cref="CustomResourceSchemas"/>.
/// </summary>
internal sealed partial class RenderedOverlay
{
    /// <summary>Built-in kinds the manifests may use, by "apiVersion/kind".</summary>
    public static readonly IReadOnlyDictionary<string, Type> BuiltInKinds = new Dictionary<string, Type>(StringComparer.Ordinal)
    {
        ["v1/Namespace"] = typeof(V1Namespace),
        ["v1/ConfigMap"] = typeof(V1ConfigMap),
        ["v1/Secret"] = typeof(V1Secret),
        ["v1/Service"] = typeof(V1Service),
        ["v1/ServiceAccount"] = typeof(V1ServiceAccount),
        ["v1/PersistentVolumeClaim"] = typeof(V1PersistentVolumeClaim),
        ["apps/v1/Deployment"] = typeof(V1Deployment),
        ["apps/v1/StatefulSet"] = typeof(V1StatefulSet),
        ["batch/v1/Job"] = typeof(V1Job),
        ["policy/v1/PodDisruptionBudget"] = typeof(V1PodDisruptionBudget),
        ["autoscaling/v2/HorizontalPodAutoscaler"] = typeof(V2HorizontalPodAutoscaler),
        ["rbac.authorization.k8s.io/v1/Role"] = typeof(V1Role),
        ["rbac.authorization.k8s.io/v1/RoleBinding"] = typeof(V1RoleBinding),
        ["rbac.authorization.k8s.io/v1/ClusterRole"] = typeof(V1ClusterRole),
        ["rbac.authorization.k8s.io/v1/ClusterRoleBinding"] = typeof(V1ClusterRoleBinding),
        ["networking.k8s.io/v1/NetworkPolicy"] = typeof(V1NetworkPolicy),
        ["networking.k8s.io/v1/Ingress"] = typeof(V1Ingress),
    };

    private static readonly ConcurrentDictionary<string, Lazy<RenderedOverlay>> Cache = new(StringComparer.Ordinal);

    private static readonly MethodInfo DeserializeMethod = typeof(KubernetesYaml).GetMethods(BindingFlags.Public | BindingFlags.Static)
        .Single(m => m.Name == nameof(KubernetesYaml.Deserialize) && m.IsGenericMethodDefinition
            && m.GetParameters().Select(p => p.ParameterType).SequenceEqual([typeof(string), typeof(bool)]));

    private RenderedOverlay(string name, string output, IReadOnlyList<ManifestObject> objects)
    {
        Name = name;
        Output = output;
        Objects = objects;
    }

    public string Name { get; }

    /// <summary>kustomize's output.</summary>
    public string Output { get; }

    public IReadOnlyList<ManifestObject> Objects { get; }

    /// <summary>The overlay k8s/overlays/<paramref name="overlay"/>, rendered and loaded once per test run.</summary>
    public static RenderedOverlay Of(string overlay) => Cache.GetOrAdd(overlay, o => new Lazy<RenderedOverlay>(() => Render(o))).Value;

    public IEnumerable<T> OfType<T>() => Objects.Select(o => o.Typed).OfType<T>();

    public IEnumerable<ManifestObject> OfKind(string kind) => Objects.Where(o => o.Kind == kind);

    /// <summary>Runs kustomize build on the overlay and loads every document; throws naming the document that does not load.</summary>
    public static RenderedOverlay Render(string overlay)
    {
        var directory = Path.Combine(DeploymentEnvironment.RepositoryRoot, "k8s", "overlays", overlay);
        if (!Directory.Exists(directory))
        {
            throw new InvalidOperationException($"The overlay {directory} does not exist.");
        }

        var output = Kustomize("build", directory);
        var objects = new List<ManifestObject>();
        var failures = new List<string>();
        foreach (var document in DocumentSeparator().Split(output).Where(d => !string.IsNullOrWhiteSpace(d)))
        {
            try
            {
                objects.Add(Load(document));
            }
            catch (Exception exception) when (exception is InvalidOperationException or YamlDotNet.Core.YamlException or TargetInvocationException)
            {
                var reason = exception is TargetInvocationException { InnerException: { } inner } ? inner : exception;
                failures.Add($"{FirstLines(document)}\n  -> {reason.GetType().Name}: {reason.Message} {reason.InnerException?.Message}");
            }
        }

        if (failures.Count > 0)
        {
            throw new InvalidOperationException($"k8s/overlays/{overlay}: {failures.Count} objects do not load:\n" + string.Join("\n", failures));
        }

        return new RenderedOverlay(overlay, output, objects);
    }

    /// <summary>Runs kustomize with <paramref name="arguments"/> and returns its standard output; throws with its error output when it fails.</summary>
    public static string Kustomize(params string[] arguments)
    {
        var start = new ProcessStartInfo(DeploymentEnvironment.Kustomize)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0
            ? output
            : throw new InvalidOperationException($"kustomize {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{error.Result}");
    }

    private static ManifestObject Load(string yaml)
    {
        var raw = Generic(new DeserializerBuilder().Build().Deserialize<object>(yaml)) as IReadOnlyDictionary<string, object?>
            ?? throw new InvalidOperationException("The document is not a mapping.");
        var apiVersion = raw.TryGetValue("apiVersion", out var a) ? a as string : null;
        var kind = raw.TryGetValue("kind", out var k) ? k as string : null;
        var name = raw.TryGetValue("metadata", out var m) && m is IReadOnlyDictionary<string, object?> meta && meta.TryGetValue("name", out var n) ? n as string : null;
        if (apiVersion is null || kind is null || name is null)
        {
            throw new InvalidOperationException("apiVersion, kind or metadata.name is missing.");
        }

        object typed;
        if (BuiltInKinds.TryGetValue($"{apiVersion}/{kind}", out var type))
        {
            typed = DeserializeMethod.MakeGenericMethod(type).Invoke(null, [yaml, true])!;
        }
        else if (CustomResourceSchemas.Find(apiVersion, kind) is { } schema)
        {
            var problems = schema.Check(raw);
            if (problems.Count > 0)
            {
                throw new InvalidOperationException($"{kind} {name} does not match the {apiVersion} schema: {string.Join("; ", problems)}");
            }

            typed = raw;
        }
        else
        {
            throw new InvalidOperationException($"{apiVersion}/{kind} is neither a known built-in kind nor a checked custom resource.");
        }

        return new ManifestObject(apiVersion, kind, name, yaml, typed, raw);
    }

    /// <summary>YamlDotNet's untyped result with string keys throughout.</summary>
    internal static object? Generic(object? node) => node switch
    {
        IDictionary<object, object?> map => map.ToDictionary(e => Convert.ToString(e.Key, System.Globalization.CultureInfo.InvariantCulture)!, e => Generic(e.Value), StringComparer.Ordinal),
        IList<object?> list => list.Select(Generic).ToList(),
        _ => node,
    };

    private static string FirstLines(string document) => string.Join(" | ", document.Trim().Split('\n').Take(4));

    [GeneratedRegex(@"^---[ \t]*$", RegexOptions.Multiline)]
    private static partial Regex DocumentSeparator();
}
