using DeviceTwins.Testing;

namespace DeviceTwins.EndToEndTests;

/// <summary>A quiet, helpful start: the platform's default log levels show a few lines, and the last is the banner naming every address.</summary>
public sealed class StartupOutputTests
{
    [Fact]
    public async Task Start_WithTheSimulator_FewLines_BannerLast_NoPlacementRetriesOrOptionDumps()
    {
        await using var platform = new TestPlatform();
        await platform.StartKafkaAsync();
        var mqttPort = TestEnvironment.FreePort();
        var silo = await platform.StartSiloAsync("silo", settings: new Dictionary<string, string>
        {
            ["Auth__DevelopmentKey"] = "true",
            ["Simulator__Enabled"] = "true",
            ["Mqtt__Port"] = mqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var banner = await Eventually.Until(
            () => Task.FromResult(silo.Output),
            output => output.Contains("DeviceTwins is running", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30),
            output => "the banner\n" + output);
        // Let the simulated fleet run for a while, and make requests (one refused): records, twins, index flushes and
        // requests log nothing at the default levels.
        var key = (await File.ReadAllTextAsync(Path.Combine(platform.WorkingDirectory, ".devicetwins", "api-key"))).Trim();
        using var developer = PlatformProcess.ApiClient(platform.Http.BaseAddress!, TimeSpan.FromSeconds(30), key);
        await platform.WaitForCountAsync("sim-0001", 3, TimeSpan.FromSeconds(60), developer);
        using (var refused = await platform.Http.GetAsync(new Uri("/api/devices/sim-0001", UriKind.Relative)))
        {
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        var lines = silo.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.True(lines.Length <= 40, $"{lines.Length} lines:\n{silo.Output}");
        Assert.DoesNotContain(lines, l => l.Contains("Polly", StringComparison.Ordinal) || l.Contains("SiloOptionsLogger", StringComparison.Ordinal) || l.Contains("Microsoft.Hosting.Lifetime", StringComparison.Ordinal));
        var at = Array.FindIndex(lines, l => l.Contains("DeviceTwins is running", StringComparison.Ordinal));
        var block = string.Join('\n', lines[at..]);
        // The banner is the last thing printed at Information: its title and seven lines. A starved machine may still
        // warn after it (Orleans' watchdog does), and a warning is what an operator should see.
        var after = lines[(at + 8)..];
        Assert.True(after.All(l => l.StartsWith("warn: ", StringComparison.Ordinal) || l.StartsWith("      ", StringComparison.Ordinal)), $"{after.Length} line(s) after the banner:\n{silo.Output}");
        Assert.DoesNotContain(lines, l => l.StartsWith("fail: ", StringComparison.Ordinal));
        Assert.Contains($"Console         {platform.Http.BaseAddress!.ToString().TrimEnd('/')}/ ", block, StringComparison.Ordinal);
        Assert.Contains($"{platform.Http.BaseAddress!.ToString().TrimEnd('/')}/api/reference/", block, StringComparison.Ordinal);
        Assert.Contains($"{platform.Http.BaseAddress!.ToString().TrimEnd('/')}/metrics", block, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(platform.WorkingDirectory, ".devicetwins", "api-key"), block, StringComparison.Ordinal);
        Assert.Contains($"Kafka           {platform.BootstrapServers}", block, StringComparison.Ordinal);
        Assert.Contains($"MQTT            mqtt://localhost:{mqttPort}", block, StringComparison.Ordinal);
        Assert.Contains("Twin state      Redis", block, StringComparison.Ordinal);
        Assert.Contains("Simulator       50 devices over Kafka", block, StringComparison.Ordinal);
        Assert.NotNull(banner);
    }
}
