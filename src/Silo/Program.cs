using DeviceTwins.Api.Extensions;
using DeviceTwins.Silo.Configuration;
using DeviceTwins.Silo.Extensions;
using DeviceTwins.Silo.Kafka;
using DeviceTwins.Streaming.Kafka.Embedded;
using Microsoft.Extensions.Options;

namespace DeviceTwins.Silo;

/// <summary>
/// Entry point. "dotnet run --project src/Silo" runs the whole platform (embedded Kafka-protocol cluster when
/// Kafka:BootstrapServers is empty, silo, REST API, simulated fleet); "-- embedded-kafka" hosts only the cluster.
/// </summary>
public static partial class Program
{
    /// <summary>Runs the platform, or the embedded cluster alone; returns 2 on a configuration error.</summary>
    public static async Task<int> Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var embeddedOnly = args.Length > 0 && args[0] == "embedded-kafka";
        var settingsArgs = args.Skip(embeddedOnly ? 1 : 0)
            .Select(a => a == "--no-simulator" ? "--Simulator:Enabled=false" : a)
            .ToArray();
        // appsettings.json is read from the build output, so the platform runs the same from any working directory.
        var contentRoot = AppContext.BaseDirectory;
        var configuration = new ConfigurationManager();
        configuration.SetBasePath(contentRoot)
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile($"appsettings.{EnvironmentName()}.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(settingsArgs);
        PlatformSettings settings;
        try
        {
            settings = PlatformSettings.Load(configuration);
        }
        catch (OptionsValidationException exception)
        {
            await Console.Error.WriteLineAsync("DeviceTwins cannot start, the configuration is invalid:").ConfigureAwait(false);
            foreach (var failure in exception.Failures)
            {
                await Console.Error.WriteLineAsync("  " + failure).ConfigureAwait(false);
            }

            return 2;
        }

        if (embeddedOnly)
        {
            return await RunEmbeddedKafkaAsync(WebApplication.CreateBuilder(new WebApplicationOptions { Args = settingsArgs, ContentRootPath = contentRoot }), settings).ConfigureAwait(false);
        }

        return await RunPlatformAsync(WebApplication.CreateBuilder(new WebApplicationOptions { Args = settingsArgs, ContentRootPath = contentRoot }), settings).ConfigureAwait(false);
    }

    private static string EnvironmentName() =>
        Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? Environments.Production;

    private static async Task<int> RunPlatformAsync(WebApplicationBuilder builder, PlatformSettings settings)
    {
        using var embedded = settings.Kafka.UseEmbedded ? EmbeddedKafka.Start(settings.Kafka) : null;
        var bootstrapServers = embedded?.BootstrapServers ?? settings.Kafka.BootstrapServers;
        builder.AddDeviceTwinsPlatform(settings, bootstrapServers);
        await using var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("DeviceTwins.Silo");
        if (embedded is not null)
        {
            LogEmbeddedKafka(logger, embedded.BootstrapServers, EmbeddedKafka.BootstrapFilePath);
        }

        LogStarting(logger, settings.Redis.IsConfigured ? "Redis" : "memory", settings.Api.Urls, settings.SimulatorEnabled);
        app.MapDeviceTwinsApi();
        app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous();
        await app.RunAsync().ConfigureAwait(false);
        return 0;
    }

    private static async Task<int> RunEmbeddedKafkaAsync(WebApplicationBuilder builder, PlatformSettings settings)
    {
        EmbeddedKafka.DeleteControlFile();
        using var embedded = EmbeddedKafka.Start(settings.Kafka);
        builder.AddEmbeddedKafkaControl(embedded, settings.Kafka);
        await using var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("DeviceTwins.EmbeddedKafka");
        LogEmbeddedKafka(logger, embedded.BootstrapServers, EmbeddedKafka.BootstrapFilePath);
        // One metadata read while every broker is up, so broker addresses are known to the control API from the start.
        app.Services.GetRequiredService<EmbeddedKafkaMetadata>().Read(TimeSpan.FromSeconds(10));
        app.MapEmbeddedKafkaControl();
        await app.StartAsync().ConfigureAwait(false);
        // After start, Urls holds the addresses actually bound (port 0 replaced by the chosen port).
        var addresses = app.Urls.ToList();
        EmbeddedKafka.WriteControlFile(addresses);
        LogControlApi(logger, string.Join(";", addresses), EmbeddedKafka.ControlFilePath);
        await app.WaitForShutdownAsync().ConfigureAwait(false);
        EmbeddedKafka.DeleteControlFile();
        return 0;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded Kafka-protocol cluster listening on {BootstrapServers} (written to {BootstrapFile})")]
    private static partial void LogEmbeddedKafka(ILogger logger, string bootstrapServers, string bootstrapFile);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded Kafka control API listening on {ControlUrls} (written to {ControlFile})")]
    private static partial void LogControlApi(ILogger logger, string controlUrls, string controlFile);

    [LoggerMessage(Level = LogLevel.Information, Message = "Starting DeviceTwins: twin state in {Storage}, REST API on {Urls}, simulator {SimulatorEnabled}")]
    private static partial void LogStarting(ILogger logger, string storage, string urls, bool simulatorEnabled);
}
