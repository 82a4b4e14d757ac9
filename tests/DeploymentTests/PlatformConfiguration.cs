using DeviceTwins.Analytics;
using DeviceTwins.Api.Configuration;
using DeviceTwins.Api.Security;
using DeviceTwins.Silo.Configuration;
using DeviceTwins.Simulator;
using Microsoft.Extensions.Configuration;

namespace DeviceTwins.DeploymentTests;

/// <summary>Checks environment variables of the manifests against the platform's options classes by binding them.</summary>
internal static class PlatformConfiguration
{
    /// <summary>The silo's sections and the options class each binds to.</summary>
    public static readonly IReadOnlyDictionary<string, Type> SiloSections = new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase)
    {
        [KafkaOptions.SectionName] = typeof(KafkaOptions),
        [RedisOptions.SectionName] = typeof(RedisOptions),
        [OrleansOptions.SectionName] = typeof(OrleansOptions),
        [ApiOptions.SectionName] = typeof(ApiOptions),
        [TelemetryOptions.SectionName] = typeof(TelemetryOptions),
        [SiloHostOptions.SectionName] = typeof(SiloHostOptions),
        [AnalyticsOptions.Section] = typeof(AnalyticsOptions),
        [SimulatorOptions.SectionName] = typeof(SimulatorOptions),
        [AuthOptions.SectionName] = typeof(AuthOptions),
    };

    /// <summary>The stand-alone API's sections (an Orleans client through Redis clustering).</summary>
    public static readonly IReadOnlyDictionary<string, Type> ApiSections = new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase)
    {
        [RedisOptions.SectionName] = typeof(RedisOptions),
        [OrleansOptions.SectionName] = typeof(OrleansOptions),
        [ApiOptions.SectionName] = typeof(ApiOptions),
        [AuthOptions.SectionName] = typeof(AuthOptions),
        [AlertStreamOptions.SectionName] = typeof(AlertStreamOptions),
    };

    /// <summary>Variables that are not platform settings but that the runtime or Orleans' Kubernetes hosting reads.</summary>
    private static readonly string[] RuntimeVariables = ["POD_NAME", "POD_NAMESPACE", "POD_IP", "ORLEANS_SERVICE_ID", "ORLEANS_CLUSTER_ID", "TZ"];

    private static readonly string[] RuntimePrefixes = ["DOTNET_", "Logging__"];

    /// <summary>
    /// Every problem with <paramref name="environment"/>: names that are no configuration key of <paramref name="sections"/>
    /// (bound with ErrorOnUnknownConfiguration, so a misspelled key fails) and values that do not convert.
    /// </summary>
    public static IReadOnlyList<string> Problems(IReadOnlyDictionary<string, string> environment, IReadOnlyDictionary<string, Type> sections)
    {
        var problems = new List<string>();
        var platform = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in environment)
        {
            if (RuntimeVariables.Contains(name, StringComparer.Ordinal) || RuntimePrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)))
            {
                continue;
            }

            var key = name.Replace("__", ":", StringComparison.Ordinal);
            var section = key.Split(':')[0];
            if (!key.Contains(':', StringComparison.Ordinal) || !sections.ContainsKey(section))
            {
                problems.Add($"{name} is no configuration key (sections: {string.Join(", ", sections.Keys)})");
                continue;
            }

            platform[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(platform).Build();
        foreach (var (section, type) in sections)
        {
            try
            {
                configuration.GetSection(section).Get(type, o => o.ErrorOnUnknownConfiguration = true);
            }
            catch (InvalidOperationException exception)
            {
                problems.Add($"{section}: {exception.Message}");
            }
        }

        return problems;
    }

    /// <summary>The silo's settings from <paramref name="environment"/>, loaded and validated as the silo does at start-up.</summary>
    /// <remarks>A file the settings name (the Kafka CA) counts as existing when it lies under one of <paramref name="mountPaths"/>.</remarks>
    public static PlatformSettings LoadSilo(IReadOnlyDictionary<string, string> environment, IReadOnlyCollection<string> mountPaths) =>
        PlatformSettings.Load(
            new ConfigurationBuilder().AddInMemoryCollection(
                environment.Where(e => e.Key.Contains("__", StringComparison.Ordinal))
                    .Select(e => new KeyValuePair<string, string?>(e.Key.Replace("__", ":", StringComparison.Ordinal), e.Value))).Build(),
            path => mountPaths.Any(m => path.StartsWith(m.TrimEnd('/') + "/", StringComparison.Ordinal)));

    /// <summary>The settings the silo of <paramref name="rendered"/> starts with, its mounted files counting as present.</summary>
    public static PlatformSettings LoadSilo(RenderedOverlay rendered)
    {
        var container = PlatformWorkloads.MainContainer(PlatformWorkloads.Silo(rendered));
        return LoadSilo(PlatformWorkloads.Environment(rendered, container), [.. (container.VolumeMounts ?? []).Select(m => m.MountPath)]);
    }
}
