namespace DeviceTwins.EndToEndTests;

/// <summary>A bad setting stops the real process before anything starts, with a message naming the key.</summary>
public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("Kafka__TelemetryPartitions", "lots", "Kafka:TelemetryPartitions")]
    [InlineData("Kafka__BootstrapServers", "broker-without-port", "Kafka:BootstrapServers")]
    [InlineData("Api__Urls", "not a url", "Api:Urls")]
    [InlineData("Auth__ApiKeys__0__Hash", "a-key-in-clear", "Auth:ApiKeys:0:Hash")]
    public async Task BadSetting_StopsStartUpNamingTheKey(string variable, string value, string key)
    {
        var directory = Directory.CreateTempSubdirectory("devicetwins-config-").FullName;
        await using var silo = DeviceTwins.Testing.PlatformProcess.Start(TestEnvironment.SiloAssembly, "silo", directory, new Dictionary<string, string> { [variable] = value });

        var exitCode = await silo.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, exitCode);
        Assert.Contains(key, silo.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(directory, ".devicetwins")), "Nothing may start before the configuration is valid.");
    }
}
