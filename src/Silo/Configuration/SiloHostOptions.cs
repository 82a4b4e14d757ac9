namespace DeviceTwins.Silo.Configuration;

/// <summary>How the silo process is hosted (section "Silo").</summary>
public sealed class SiloHostOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Silo";

    /// <summary>Environment variable Kubernetes sets in every container; its presence means the silo runs in a pod.</summary>
    public const string KubernetesServiceHostVariable = "KUBERNETES_SERVICE_HOST";

    /// <summary>
    /// How long a graceful stop may take (grains deactivated and written, stream agents stopped, offsets committed);
    /// keep the pod's terminationGracePeriodSeconds above it.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>Orleans' Kubernetes hosting (silo named after its pod, defunct silo pods deleted), used only inside Kubernetes.</summary>
    public bool KubernetesHosting { get; set; } = true;

    /// <summary>True when <see cref="KubernetesHosting"/> is on and <paramref name="environment"/> shows a Kubernetes pod.</summary>
    public bool UseKubernetesHosting(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return KubernetesHosting && !string.IsNullOrWhiteSpace(environment(KubernetesServiceHostVariable));
    }
}
