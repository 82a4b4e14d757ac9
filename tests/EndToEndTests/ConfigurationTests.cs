namespace DeviceTwins.EndToEndTests;

/// <summary>A bad setting stops the real process before anything starts, with a message naming the key.</summary>
public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("Kafka__TelemetryPartitions", "lots", "Kafka:TelemetryPartitions")]
    [InlineData("Kafka__BootstrapServers", "broker-without-port", "Kafka:BootstrapServers")]
    [InlineData("Api__Urls", "not a url", "Api:Urls")]
    [InlineData("Auth__ApiKeys__0__Hash", "a-key-in-clear", "Auth:ApiKeys:0:Hash")]
    [InlineData("Kafka__Security__Protocol", "Ssl", "Kafka:Security:Protocol Ssl needs Kafka:BootstrapServers")]
    public async Task BadSetting_StopsStartUpNamingTheKey(string variable, string value, string key)
    {
        var directory = Directory.CreateTempSubdirectory("devicetwins-config-").FullName;
        await using var silo = DeviceTwins.Testing.PlatformProcess.Start(TestEnvironment.SiloAssembly, "silo", directory, new Dictionary<string, string> { [variable] = value });

        var exitCode = await silo.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, exitCode);
        Assert.Contains(key, silo.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(directory, ".devicetwins")), "Nothing may start before the configuration is valid.");
    }

    [Fact]
    public async Task KafkaSecurity_MissingCaFile_StopsStartUpNamingTheKey_AndNeverPrintsThePassword()
    {
        const string password = "kafka-password-7f3a9c";
        var directory = Directory.CreateTempSubdirectory("devicetwins-config-").FullName;
        await using var silo = DeviceTwins.Testing.PlatformProcess.Start(TestEnvironment.SiloAssembly, "silo", directory, new Dictionary<string, string>
        {
            ["Kafka__BootstrapServers"] = "127.0.0.1:9",
            ["Kafka__Security__Protocol"] = "SaslSsl",
            ["Kafka__Security__CaLocation"] = "/nonexistent/kafka-ca.crt",
            ["Kafka__Security__SaslMechanism"] = "ScramSha512",
            ["Kafka__Security__Username"] = "devicetwins-silo",
            ["Kafka__Security__Password"] = password,
        });

        var exitCode = await silo.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, exitCode);
        Assert.Contains("Kafka:Security:CaLocation '/nonexistent/kafka-ca.crt' does not exist.", silo.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(password, silo.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KafkaSecurity_SaslAgainstTheEmbeddedCluster_StopsNamingTheRefusedHandshake_AndNeverPrintsThePassword()
    {
        const string password = "kafka-password-4be21d";
        await using var platform = new TestPlatform();
        await platform.StartKafkaAsync();
        var directory = Directory.CreateTempSubdirectory("devicetwins-config-").FullName;
        await using var silo = DeviceTwins.Testing.PlatformProcess.Start(TestEnvironment.SiloAssembly, "silo", directory, new Dictionary<string, string>
        {
            ["Kafka__BootstrapServers"] = platform.BootstrapServers,
            ["Kafka__Security__Protocol"] = "SaslPlaintext",
            ["Kafka__Security__SaslMechanism"] = "ScramSha512",
            ["Kafka__Security__Username"] = "devicetwins-silo",
            ["Kafka__Security__Password"] = password,
        });

        // The silo's clients start a SCRAM handshake, which the embedded cluster does not speak: topic provisioning gives up
        // after its 30 s and the process stops, saying why.
        var exitCode = await silo.WaitForExitAsync(TimeSpan.FromSeconds(90));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("SASL Handshake not supported by broker (required by mechanism SCRAM-SHA-512)", silo.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(password, silo.Output, StringComparison.Ordinal);
    }
}
