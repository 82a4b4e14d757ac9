using DeviceTwins.Testing;

namespace DeviceTwins.EndToEndTests;

/// <summary>What the end-to-end tests need from the machine: the built silo, Redis and kcat. Missing pieces fail the tests, never skip them.</summary>
internal static class TestEnvironment
{
    public const string RedisVariable = "DEVICETWINS_TEST_REDIS";

    public static string RepositoryRoot => TestHost.RepositoryRoot;

    /// <summary>The silo assembly built with the same configuration as these tests.</summary>
    public static string SiloAssembly => BuiltAssembly("Silo", "DeviceTwins.Silo.dll");

    /// <summary>The stand-alone API assembly built with the same configuration as these tests.</summary>
    public static string ApiAssembly => BuiltAssembly("Api", "DeviceTwins.Api.dll");

    /// <summary>The stand-alone MQTT bridge assembly built with the same configuration as these tests.</summary>
    public static string MqttAssembly => BuiltAssembly("Mqtt", "DeviceTwins.Mqtt.dll");

    /// <summary>host:port of the Redis server started by the test script.</summary>
    public static string Redis => Environment.GetEnvironmentVariable(RedisVariable) is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException($"{RedisVariable} is not set: run the tests through ./test.sh, which starts redis-server.");

    /// <summary>The kcat executable.</summary>
    public static string Kcat
    {
        get
        {
            foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
            {
                var candidate = Path.Combine(directory, "kcat");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            throw new InvalidOperationException("kcat is not on PATH: run the tests through ./test.sh, which installs it.");
        }
    }

    private static string BuiltAssembly(string project, string file)
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var path = Path.Combine(RepositoryRoot, "src", project, "bin", configuration, "net10.0", file);
        return File.Exists(path) ? path : throw new InvalidOperationException($"{file} is not built at {path}; build the solution first.");
    }

    public static int FreePort() => TestHost.FreePort();
}
