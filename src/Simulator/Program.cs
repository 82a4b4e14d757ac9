using Microsoft.Extensions.Hosting;

namespace DeviceTwins.Simulator;

/// <summary>
/// Stand-alone fleet simulator: produces telemetry to any Kafka cluster.
/// Example: dotnet run --project src/Simulator -- --Simulator:BootstrapServers=127.0.0.1:9092 --Simulator:Devices=1000 --Simulator:RatePerSecond=500
/// </summary>
public static class Program
{
    public static async Task Main(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Services.AddFleetSimulator();
        await builder.Build().RunAsync().ConfigureAwait(false);
    }
}
