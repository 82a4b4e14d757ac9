using DeviceTwins.Testing;

namespace DeviceTwins.FaultCampaign.Platform;

/// <summary>The built silo the campaign starts: the same configuration (Debug or Release) as the campaign itself.</summary>
internal static class CampaignEnvironment
{
    public static string SiloAssembly
    {
        get
        {
            var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
            var path = Path.Combine(TestHost.RepositoryRoot, "src", "Silo", "bin", configuration, "net10.0", "DeviceTwins.Silo.dll");
            return File.Exists(path) ? path : throw new InvalidOperationException($"The silo is not built at {path}; build the solution first.");
        }
    }
}
