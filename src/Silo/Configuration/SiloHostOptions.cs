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

    /// <summary>
    /// When the silo's managed memory exceeds this share of the memory available to it (the machine's, or the
    /// container's limit), Orleans deactivates the longest idle twins until it is 10 points lower: their state is stored,
    /// their due work is kept by the wake index, and their next record or query activates them again. 0 turns it off.
    /// </summary>
    public int ShedActivationsAbovePercent { get; set; } = 80;

    /// <summary>Orleans' Kubernetes hosting (silo named after its pod, defunct silo pods deleted), used only inside Kubernetes.</summary>
    public bool KubernetesHosting { get; set; } = true;

    /// <summary>True when <see cref="KubernetesHosting"/> is on and <paramref name="environment"/> shows a Kubernetes pod.</summary>
    public bool UseKubernetesHosting(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return KubernetesHosting && !string.IsNullOrWhiteSpace(environment(KubernetesServiceHostVariable));
    }
}
